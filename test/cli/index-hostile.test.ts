/**
 * An index run over hostile inputs (issue 17): a FIFO and a /dev/zero symlink named like
 * trajectories, a header claiming a billion atoms, a symlink loop and a sidecar pointing outside
 * its folder are failures naming the file; the good trajectories are indexed; the run ends
 * promptly (no hang on the FIFO) and nothing is half-written.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { Store } from '../../src/store/db.js';
import { repo } from '../indexer/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-idx-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('index over hostile inputs', () => {
  it('records each hostile input as a failure and indexes the rest', async () => {
    const data = join(root, 'data');
    cpSync(join(repo, 'datasets/Li-sc'), join(data, 'Li-sc'), { recursive: true });
    const bad = join(data, 'bad');
    mkdirSync(bad, { recursive: true });
    execFileSync('mkfifo', [join(bad, 'fifo_XDATCAR')]);
    symlinkSync('/dev/zero', join(bad, 'zero_XDATCAR.gz'));
    writeFileSync(join(bad, 'huge_XDATCAR'), 't\n1\n10 0 0\n0 10 0\n0 0 10\nLi\n999999999\nDirect configuration= 1\n0 0 0\n');
    symlinkSync('..', join(bad, 'run1'));
    const esc = join(data, 'escape');
    mkdirSync(esc);
    writeFileSync(join(esc, 'ionsift.json'), JSON.stringify({ temperature_k: 600, trajectories: [{ name: 'x', files: ['../Li-sc/XDATCAR'] }] }));
    const db = join(root, 'h.duckdb');
    const t0 = Date.now();
    const s = await runIndex({ paths: [data], db, jobs: 1, progress: 'none' });
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(s.indexed).toBeGreaterThan(0);
    const store = await Store.open(db, { readOnly: true });
    const failures = await store.query<{ path: string; message: string }>('SELECT path, message FROM failures ORDER BY path');
    const trajectories = await store.query<{ path: string }>('SELECT path FROM trajectories');
    store.close();
    const says = (name: string, pattern: RegExp): void => {
      const row = failures.find((f) => f.path.endsWith(name));
      expect(row, `failure row for ${name}: ${JSON.stringify(failures)}`).toBeTruthy();
      expect(row!.message).toMatch(pattern);
    };
    says('fifo_XDATCAR', /FIFO/);
    says('zero_XDATCAR.gz', /character device/);
    says('huge_XDATCAR', /line 7: total atom count 999999999 cannot be right/);
    says('run1', /symlink loop/);
    says('ionsift.json', /outside the sidecar's folder/);
    expect(trajectories.every((t) => t.path.includes('Li-sc'))).toBe(true);
    expect(trajectories.length).toBe(s.indexed);
  }, 120_000);
});
