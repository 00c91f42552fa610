// A processor that kills its worker thread (as an out-of-memory abort would) for a file
// containing "CRASH"; every other file goes to the ordinary stub.
import { readFileSync } from 'node:fs';
import type { ProcessTask } from '../../src/indexer/types.js';
import { processTask as stub } from './stub-processor.js';

export const processTask: ProcessTask = async (task) => {
  if (task.trajectory.files.some((f) => readFileSync(f, 'utf8').includes('CRASH'))) process.exit(7);
  return stub(task);
};
