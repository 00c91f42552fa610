// Worker crashes and heap limits (both pools), metadata files beside trajectories, empty shards, numeric flags.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { cli, makeStubTree, readRows, repo, stubUrl } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-robust-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { processorUrl: stubUrl, progress: 'none' as const, jobs: 2 };
const crashUrl = pathToFileURL(join(repo, 'test/indexer/crash-processor.ts')).href;
const brokenUrl = pathToFileURL(join(repo, 'test/indexer/broken-processor.ts')).href;

function failures(db: string): Promise<{ path: string; stage: string; message: string }[]> {
  return readRows(db, 'SELECT path, stage, message FROM failures ORDER BY path');
}

const hogUrl = pathToFileURL(join(repo, 'test/indexer/hog-processor.ts')).href;

describe.each(['process', 'thread'] as const)('worker crashes (%s pool)', (pool) => {
  it('a worker that dies on one file: that file is a failures row, the others are indexed, the run ends', async () => {
    const data = join(root, `crash-${pool}`);
    const files = makeStubTree(data, 6);
    writeFileSync(files[2], 'T=600\nCRASH\n');
    const db = join(root, `crash-${pool}.duckdb`);
    // One worker: it must be replaced for the files after the crash to be indexed.
    const s = await runIndex({ ...base, pool, jobs: 1, processorUrl: crashUrl, paths: [data], db });
    expect(s).toMatchObject({ discovered: 6, indexed: 5, failed: 1 });
    const f = await failures(db);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ path: files[2], stage: 'analyze' });
    expect(f[0].message).toMatch(/worker crashed.*code 7/);
  }, 120_000);

  it('a trajectory over the worker heap limit: it alone fails, its worker is replaced, the others are indexed', async () => {
    const data = join(root, `hog-${pool}`);
    const files = makeStubTree(data, 5);
    writeFileSync(files[1], 'T=600\nHOG\n');
    const db = join(root, `hog-${pool}.duckdb`);
    const s = await runIndex({ ...base, pool, jobs: 2, workerHeapMb: 64, processorUrl: hogUrl, paths: [data], db });
    expect(s).toMatchObject({ discovered: 5, indexed: 4, failed: 1 });
    const f = await failures(db);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ path: files[1], stage: 'analyze' });
    // Said why: V8's "Reached heap limit … heap out of memory" (process), ERR_WORKER_OUT_OF_MEMORY (thread).
    expect(f[0].message).toMatch(/worker crashed.*out of memory/);
    // The same files without the limit-breaking one are indexed in full.
    expect(await readRows(db, 'SELECT count(*)::INT AS n FROM trajectories')).toEqual([{ n: 4 }]);
  }, 120_000);

  it('workers that cannot load: every file a failures row, the run ends (no hang, no unhandled rejection)', async () => {
    const data = join(root, `broken-${pool}`);
    makeStubTree(data, 8);
    const db = join(root, `broken-${pool}.duckdb`);
    const s = await runIndex({ ...base, pool, processorUrl: brokenUrl, paths: [data], db });
    expect(s).toMatchObject({ discovered: 8, indexed: 0, failed: 8 });
    const f = await failures(db);
    expect(f).toHaveLength(8);
    expect(f.every((r) => r.stage === 'analyze')).toBe(true);
    if (pool === 'process') expect(f[0].message).toMatch(/cannot load: processor failed to load/);
  }, 120_000);

  it('the CLI prints its summary when workers cannot load', async () => {
    const data = join(root, `broken-cli-${pool}`);
    makeStubTree(data, 3);
    const r = await cli(['index', data, '--db', join(root, `broken-cli-${pool}.duckdb`), '--jobs', '2', '--pool', pool, '--progress', 'none'], { IONSIFT_INDEX_PROCESSOR: brokenUrl }).done;
    expect(r.stdout).toMatch(/indexed 0, skipped 0 unchanged, failed 3/);
    expect(r.code).toBe(1);
  }, 120_000);
});

describe('metadata files beside a trajectory enter the skip decision', () => {
  it('adding TEBEG to INCAR re-analyses; rewriting INCAR unchanged does not; a new or changed OUTCAR does, a touched one not', async () => {
    const data = join(root, 'meta');
    const files = makeStubTree(data, 3);
    const incar = join(dirname(files[0]), 'INCAR');
    writeFileSync(incar, 'POTIM = 2\n');
    const db = join(root, 'meta.duckdb');
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 3 });
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 0, skipped: 3 });

    writeFileSync(incar, 'POTIM = 2\nTEBEG = 600\n');
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 1, skipped: 2 });
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 0, skipped: 3 });

    // Same content, new mtime: skipped.
    writeFileSync(incar, readFileSync(incar));
    utimesSync(incar, new Date(), new Date(Date.now() + 5000));
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 0, skipped: 3 });

    const outcar = join(dirname(files[1]), 'OUTCAR');
    writeFileSync(outcar, 'POTIM = 2\n');
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 1, skipped: 2 });
    // A touched (or copied) OUTCAR that says the same: skipped; one that says otherwise: re-analysed.
    utimesSync(outcar, new Date(), new Date(Date.now() + 7000));
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 0, skipped: 3 });
    writeFileSync(outcar, 'POTIM = 1\n');
    utimesSync(outcar, new Date(), new Date(Date.now() + 8000));
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 1, skipped: 2 });
    // Old trajectory bytes, unchanged: a touch of the trajectory file alone still skips after hashing.
    utimesSync(files[1], new Date(), new Date(Date.now() + 9000));
    expect(await runIndex({ ...base, paths: [data], db })).toMatchObject({ indexed: 0, skipped: 3 });
  }, 240_000);
});

describe('index CLI exit codes and flags', () => {
  it('an empty shard of a non-empty tree exits 0', async () => {
    const data = join(root, 'shards');
    makeStubTree(data, 2);
    const out = join(root, 'shards-out');
    const r = await cli(['index', data, '--shard', '3/3', '--out', out, '--progress', 'none'], { IONSIFT_INDEX_PROCESSOR: stubUrl }).done;
    expect(r.stdout).toMatch(/0 of 2 trajectories/);
    expect(r.code).toBe(0);
    const none = await cli(['index', join(root, 'empty-nothing'), '--db', join(root, 'e.duckdb'), '--progress', 'none'], { IONSIFT_INDEX_PROCESSOR: stubUrl }).done;
    expect(none.code).toBe(1);
  }, 60_000);

  it('--pool must be process or thread, --worker-heap-mb a positive integer', async () => {
    const r = await cli(['index', root, '--db', join(root, 'pool.duckdb'), '--pool', 'fibre'], { IONSIFT_INDEX_PROCESSOR: stubUrl }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pool must be process or thread, not "fibre"/);
    const h = await cli(['index', root, '--db', join(root, 'pool.duckdb'), '--worker-heap-mb', '0.5'], { IONSIFT_INDEX_PROCESSOR: stubUrl }).done;
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/--worker-heap-mb/);
  }, 60_000);

  it('--seed must be a number', async () => {
    const r = await cli(['index', root, '--db', join(root, 'seed.duckdb'), '--seed', 'abc'], { IONSIFT_INDEX_PROCESSOR: stubUrl }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed .*"abc"/);
  }, 60_000);

  it('analyze: --frame-interval-fs, --temperature-k and --seed must be numbers', async () => {
    const file = join(repo, 'datasets/Li-bcc/300K/XDATCAR.gz');
    for (const [flag, re] of [['--frame-interval-fs', /--frame-interval-fs .*"abc"/], ['--temperature-k', /--temperature-k .*"abc"/], ['--seed', /--seed .*"abc"/]] as const) {
      const r = await cli(['analyze', file, flag, 'abc']).done;
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  }, 60_000);
});
