// A processor that needs more heap than any worker limit the tests set, for a file containing
// "HOG" (as a huge trajectory would); every other file goes to the ordinary stub.
import { readFileSync } from 'node:fs';
import type { ProcessTask } from '../../src/indexer/types.js';
import { processTask as stub } from './stub-processor.js';

export const processTask: ProcessTask = async (task) => {
  if (task.trajectory.files.some((f) => readFileSync(f, 'utf8').includes('HOG'))) {
    const keep: number[][] = [];
    // ~8 MB of live JS arrays per step, never freed: the worker's heap limit ends it.
    for (let i = 0; i < 100_000; i++) keep.push(Array.from({ length: 1_000_000 }, (_, j) => j + i));
    return { ok: false, stage: 'analyze', message: `heap limit not reached after ${keep.length} arrays` };
  }
  return stub(task);
};
