/** Entry of a parse thread (parse-pool.ts): parses the chunks it is sent, one at a time. */
import { parentPort } from 'node:worker_threads';
import { parseXdatcarChunk } from './xdatcar-chunk.js';
import type { ParseTask } from './parse-task.js';

const port = parentPort;
if (!port) throw new Error('parse-worker started outside a worker thread');
port.on('message', (m: { id: number; task: ParseTask }) => {
  parseXdatcarChunk(m.task).then(
    (result) => port.postMessage({ id: m.id, result }),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
