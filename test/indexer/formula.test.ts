/** Formulas in the order chemists write them, whatever order the file lists the species in. */
import { describe, expect, it } from 'vitest';
import { reducedFormula } from '../../src/indexer/process.js';
import type { Trajectory } from '../../src/trajectory/types.js';

const traj = (species: string[], counts: number[]) => ({ species, counts }) as unknown as Trajectory;

describe('reducedFormula', () => {
  it('puts the electropositive element first and reduces the counts', () => {
    expect(reducedFormula(traj(['S', 'Li'], [8, 16]))).toBe('Li2S');
    expect(reducedFormula(traj(['Cl', 'S', 'P', 'Li'], [4, 20, 4, 24]))).toBe('Li6PS5Cl');
    expect(reducedFormula(traj(['O', 'Zr', 'La', 'Li'], [96, 16, 24, 56]))).toBe('Li7La3Zr2O12');
    expect(reducedFormula(traj(['Li', 'Li', 'S'], [8, 8, 8]))).toBe('Li2S');
  });
  it('keeps elements it does not know last, in file order', () => {
    expect(reducedFormula(traj(['Xx', 'Li', 'Yy'], [1, 2, 1]))).toBe('Li2XxYy');
    expect(reducedFormula(traj([], []))).toBeNull();
  });
});
