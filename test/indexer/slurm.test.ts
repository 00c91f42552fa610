// The cluster path under a real Slurm (Debian's slurm-wlm + munge, one node on loopback, run as
// root): the README's recipe (scripts/slurm/) builds the same database as a single-machine run,
// and a shard whose task was killed is named by merge and completed by rerunning that task only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/real.js';

const have = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const isRoot = process.getuid?.() === 0;
const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch'].filter((b) => !have(b));
const skipReason = !isRoot ? 'not root (slurmd and munged need root)' : missing.length ? `Slurm not installed (${missing.join(', ')}: apt-get install slurm-wlm munge)` : '';
if (skipReason) console.warn(`skipping the Slurm tests: ${skipReason}`);

const scripts = resolve(repoRoot, 'scripts/slurm');
const work = mkdtempSync(join(tmpdir(), 'ionsift-slurm-test-'));
// A port of our own, so a demo or another checkout's test on the same machine does not collide.
const port = String(20000 + (process.pid % 20000));
const env = { ...process.env, IONSIFT_SLURM_DIR: join(work, 'cluster'), IONSIFT_SLURM_PORT: port, SLURM_CONF: join(work, 'cluster', 'slurm.conf') };
afterAll(() => {
  if (!skipReason) spawnSync('bash', [join(scripts, 'cluster.sh'), 'stop'], { env });
  rmSync(work, { recursive: true, force: true });
});

function sh(script: string, args: string[], extraEnv: Record<string, string> = {}): string {
  return execFileSync('bash', [join(scripts, script), ...args], { env: { ...env, ...extraEnv }, cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
}
function slurm(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8' });
}
function ionsift(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/ionsift.js'), ...args], { env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(skipReason !== '')('Slurm (real single-node cluster)', () => {
  const data = resolve(repoRoot, 'datasets');

  it('npm run slurm:demo: array + afterok merge equals the single-machine run row for row', () => {
    const out = sh('demo.sh', [data, '3'], { IONSIFT_SLURM_DIR: join(work, 'demo-cluster') });
    const last = out.trim().split('\n').at(-1);
    expect(last).toBe('slurm demo: the merged database of 3 shards equals the single-machine run, row for row');
  }, 300_000);

  it('a killed task: merge names the missing shard; rerunning that task alone completes the set', () => {
    sh('cluster.sh', ['start']);
    const out = join(work, 'out');
    const db = join(work, 'merged.duckdb');
    // Held, so task 2 can be killed before it writes anything; the merge (afterok) must not run.
    const [array, merge] = sh('submit.sh', [data, out, db, '3', '--hold']).trim().split(/\s+/);
    slurm('scancel', [`${array}_2`]);
    slurm('scontrol', ['release', array]);
    expect(sh('wait-job.sh', [array])).toMatch(/: 2 COMPLETED$/m);
    // afterok can never be met now: Slurm cancels the merge (--kill-on-invalid-dep=yes).
    const mergeWait = spawnSync('bash', [join(scripts, 'wait-job.sh'), merge, '60'], { env, encoding: 'utf8' });
    expect(mergeWait.stdout).toMatch(/CANCELLED/);
    expect(mergeWait.status).not.toBe(0);

    const partial = ionsift(['merge', out, '--db', db]);
    expect(partial.status).toBe(1);
    expect(partial.out).toMatch(/shard=2 is missing/);
    expect(partial.out).toMatch(/--shard i\/3/);

    const [rerun, merge2] = sh('submit.sh', [data, out, db, '3'], { IONSIFT_TASKS: '2' }).trim().split(/\s+/);
    sh('wait-job.sh', [rerun]);
    sh('wait-job.sh', [merge2]);
    const single = join(work, 'single.duckdb');
    expect(ionsift(['index', data, '--db', single, '--progress', 'none']).status).toBe(0);
    const diff = ionsift(['diff', db, single]);
    expect(diff.out.trim().split('\n').at(-1)).toBe('databases equal');
    expect(diff.status).toBe(0);
  }, 300_000);
});
