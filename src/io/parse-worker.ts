/** Entry of a parse thread (parse-pool.ts): parses the chunks it is sent, one at a time. */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { parseXdatcarChunk } from './xdatcar-chunk.js';
import { parseExtxyzChunk } from './extxyz-chunk.js';
import { parseLammpsChunk } from './lammps-chunk.js';
import { checkBounds } from './bounds-chunk.js';
import type { ParseTask } from './parse-task.js';

const port = parentPort;
if (!port) throw new Error('parse-worker started outside a worker thread');

async function run(task: ParseTask): Promise<{ result: unknown; transfer: TransferListItem[] }> {
  if (task.kind === 'xdatcar') return { result: await parseXdatcarChunk(task), transfer: [] };
  if (task.kind === 'bounds') return { result: checkBounds(task), transfer: [] };
  const r = task.kind === 'extxyz' ? await parseExtxyzChunk(task) : await parseLammpsChunk(task);
  return { result: r, transfer: r.ok ? [r.frac.buffer as ArrayBuffer, r.lat.buffer as ArrayBuffer] : [] };
}

port.on('message', (m: { id: number; task: ParseTask }) => {
  run(m.task).then(
    ({ result, transfer }) => port.postMessage({ id: m.id, result }, transfer),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
