// The package's one ThreadPool (src/parallel/pool.ts) and its worker side (serve.ts): results
// with any number of workers, errors carried back, crashed workers replaced, cancellation.
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, ThreadPool, WorkerCrashError, type ThreadPoolOptions } from '../../src/parallel/pool.js';
import type { PoolTestTask } from './pool-worker.js';

const entry = new URL('./pool-worker.ts', import.meta.url);
const pools: ThreadPool<PoolTestTask, unknown>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(opts: Partial<ThreadPoolOptions> = {}): ThreadPool<PoolTestTask, unknown> {
  const p = new ThreadPool<PoolTestTask, unknown>({ name: 'test', entry, size: 2, ...opts });
  pools.push(p);
  return p;
}

describe('ThreadPool', () => {
  it('the same results, in task order, with 1 and 3 workers; buffers are transferred both ways', async () => {
    for (const size of [1, 3]) {
      const p = pool({ size });
      const xs = Array.from({ length: 10 }, (_, i) => i - 3);
      expect(await Promise.all(xs.map((x) => p.run({ kind: 'square', x })))).toEqual(xs.map((x) => x * x));
      const data = Float64Array.of(1, 2, 3.5);
      const r = p.run({ kind: 'sum', data }, [data.buffer]);
      expect(data.byteLength).toBe(0); // moved, not copied
      expect(await r).toEqual(Float64Array.of(6.5, 24));
      expect(p.lastReadyAt).toBeGreaterThan(p.startedAt);
    }
  });

  it('a lazy task is built only when a worker takes it', async () => {
    const p = pool({ size: 1 });
    let built = 0;
    const runs = [1, 2, 3].map((x) => p.runLazy(() => { built++; return { task: { kind: 'square', x } }; }));
    expect(built).toBe(0); // the worker is still loading
    expect(await runs[0]).toBe(1);
    expect(built).toBeLessThan(3);
    expect(await Promise.all(runs)).toEqual([1, 4, 9]);
    expect(built).toBe(3);
  });

  it("a task's error comes back as its rejection; the worker goes on", async () => {
    const p = pool({ size: 1 });
    await expect(p.run({ kind: 'throw', message: 'bad block 7' })).rejects.toThrow(/^bad block 7$/);
    await expect(p.run({ kind: 'unclonable' })).rejects.toThrow(/result could not be sent from the worker/);
    expect(await p.run({ kind: 'square', x: 3 })).toBe(9);
  });

  it('a crashed worker fails its task and is replaced while restarts are left', async () => {
    const p = pool({ size: 1, maxRestarts: 1 });
    const crash = p.run({ kind: 'exit', code: 7 });
    await expect(crash).rejects.toBeInstanceOf(WorkerCrashError);
    await expect(crash).rejects.toThrow(/worker crashed: test worker exited with code 7/);
    expect(await p.run({ kind: 'square', x: 4 })).toBe(16);
    // no restart left: the last worker's crash rejects what is queued, and what comes later, at once
    const again = p.run({ kind: 'exit', code: 3 });
    const queued = p.run({ kind: 'square', x: 5 });
    await expect(again).rejects.toThrow(/code 3/);
    await expect(queued).rejects.toThrow(/no test worker left \(the last one crashed: test worker exited with code 3\)/);
    await expect(p.run({ kind: 'square', x: 1 })).rejects.toThrow(/no test worker left/);
    expect(p.size).toBe(0);
  });

  it('workers that cannot load: every task is rejected, none waits forever', async () => {
    const p = pool({ size: 2, maxRestarts: 1, workerData: { failToLoad: true } });
    const runs = [1, 2, 3].map((x) => p.run({ kind: 'square', x }));
    for (const r of runs) await expect(r).rejects.toThrow(/no test worker left \(the last one crashed: cannot load\)/);
  });

  it('close(): running and queued tasks are rejected with CancelledError, later ones too', async () => {
    const p = pool({ size: 1 });
    expect(await p.run({ kind: 'square', x: 1 })).toBe(1); // loaded: the next task is sent at once
    const running = expect(p.run({ kind: 'hang' })).rejects.toBeInstanceOf(CancelledError);
    const queued = expect(p.run({ kind: 'square', x: 2 })).rejects.toBeInstanceOf(CancelledError);
    await p.close();
    await running;
    await queued;
    await expect(p.run({ kind: 'square', x: 2 })).rejects.toBeInstanceOf(CancelledError);
  });
});
