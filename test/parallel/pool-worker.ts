// A ThreadPool worker for the pool tests: each task names what to do.
import { workerData } from 'node:worker_threads';
import { serve } from '../../src/parallel/serve.js';

export type PoolTestTask =
  | { kind: 'square'; x: number }
  | { kind: 'sum'; data: Float64Array }
  | { kind: 'throw'; message: string }
  | { kind: 'exit'; code: number }
  | { kind: 'hang' }
  | { kind: 'unclonable' };

if ((workerData as { failToLoad?: boolean } | undefined)?.failToLoad) throw new Error('cannot load');

serve<PoolTestTask, unknown>((task) => {
  switch (task.kind) {
    case 'square': return { result: task.x * task.x };
    case 'sum': {
      const out = Float64Array.of(task.data.reduce((a, b) => a + b, 0), task.data.byteLength);
      return { result: out, transfer: [out.buffer] };
    }
    case 'throw': throw new Error(task.message);
    case 'exit': return process.exit(task.code);
    case 'hang': return new Promise<never>(() => undefined);
    case 'unclonable': return { result: () => 1 };
  }
});
