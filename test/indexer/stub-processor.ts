// A stand-in for load + analyze (worker side) so the indexer mechanics can be tested on tiny
// text files: "BAD" on a line fails with the file and line; the result depends on the bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ProcessTask, WorkOutput } from '../../src/indexer/types.js';
import { makeResult } from '../store/fixtures.js';

export const processTask: ProcessTask = async (task) => {
  // Tests that must act while an analysis runs wait for this file.
  if (process.env.STUB_STARTED_FILE) writeFileSync(process.env.STUB_STARTED_FILE, task.trajectory.files[0]);
  const delay = Number(process.env.STUB_DELAY_MS ?? 0);
  if (delay) await new Promise((r) => setTimeout(r, delay));
  let bytes = 0;
  for (const f of task.trajectory.files) {
    const text = readFileSync(f, 'utf8');
    bytes += text.length;
    const lines = text.split('\n');
    const bad = lines.findIndex((l) => l.includes('BAD'));
    if (bad >= 0) return { ok: false, stage: 'read', message: `${f}, line ${bad + 1}: expected a number, found "BAD"` } satisfies WorkOutput;
  }
  const result = makeResult((bytes % 7) + 1);
  const T = Number(/T=(\d+)/.exec(readFileSync(task.trajectory.files[0], 'utf8'))?.[1] ?? 600);
  return {
    ok: true,
    ms: delay,
    result,
    meta: {
      format: 'stub', material: (task.trajectory.sidecar.material as string | undefined) ?? 'StubMat', formula: 'Li3X', temperatureK: T,
      timestepFs: 2, frameIntervalFs: 100, nFrames: 101, nAtoms: 8, volumeA3: 1000, variableCell: false, nDiscontinuities: 0,
      species: [{ element: 'Li', count: 4, charge: 1, mobile: true }], metadataSources: {}, warnings: [], contentHash: '',
    },
  };
};
