// The bin decisions on hand-made counts: a relation's significant bin lets bordering bins whose
// excess is at least half their count join it; without one none does; fill and push border each
// other at their shortest lags; long lags of push/near are never concerted.
import { describe, expect, it } from 'vitest';
import { decideBins } from '../../../src/analysis/manybody/bin-tests.js';
import { BINS_PER_CLASS, CLASSES, DURING, N_BINS, N_LAG } from '../../../src/analysis/manybody/pair-relations.js';

const FILL = CLASSES.indexOf('fill') * BINS_PER_CLASS, PUSH = CLASSES.indexOf('push') * BINS_PER_CLASS;
const occupied = new Uint8Array(N_LAG).fill(1);
const reps = Array.from({ length: 20 }, () => new Float64Array(N_BINS));

function decide(counts: Record<number, number>, levels: Record<number, number> = {}): number[] {
  const observed = new Float64Array(N_BINS), level = new Float64Array(N_BINS);
  for (const [b, o] of Object.entries(counts)) observed[Number(b)] = o;
  for (const [b, l] of Object.entries(levels)) level[Number(b)] = l;
  return decideBins(observed, reps, 0.01, level, 100, occupied).flatMap((bin, b) => (bin.concerted ? [b] : []));
}

describe('decideBins', () => {
  it('a significant fill bin; its neighbour joins when its excess is at least half its count, the next one not', () => {
    // 2 pairs over a reference of 0.8: not significant alone (p ≈ 0.19), excess 1.2 ≥ 1.
    expect(decide({ [FILL + 6]: 30, [FILL + 7]: 2, [FILL + 8]: 3 }, { [FILL + 7]: 0.8, [FILL + 8]: 2 })).toEqual([FILL + 6, FILL + 7]);
  });
  it('without a significant bin of the relation, no bin joins', () => {
    expect(decide({ [FILL + 7]: 2 }, { [FILL + 7]: 0.8 })).toEqual([]);
  });
  it('an empty bin does not break the run; DURING borders the octaves around τ/8', () => {
    expect(decide({ [FILL + 4]: 30, [FILL + 6]: 2, [FILL + DURING]: 2 }, { [FILL + 6]: 0.8, [FILL + DURING]: 0.8 })).toEqual([FILL + 4, FILL + 6, FILL + DURING]);
  });
  it('fill and push border each other at their shortest lags; a long push lag is never concerted', () => {
    expect(decide({ [FILL + 6]: 30, [PUSH + 2]: 2, [PUSH + 3]: 2, [PUSH + N_LAG - 1]: 5 }, { [PUSH + 2]: 0.8, [PUSH + 3]: 0.8 }))
      .toEqual([FILL + 6, PUSH + 2, PUSH + 3]);
    // The same push bins beside a fill relation with nothing significant stay out.
    expect(decide({ [FILL + 6]: 2, [PUSH + 2]: 2 }, { [FILL + 6]: 0.8, [PUSH + 2]: 0.8 })).toEqual([]);
  });
});
