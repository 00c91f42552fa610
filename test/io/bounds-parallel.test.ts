// The coordinate bounds check spread over running parse threads (io/bounds-parallel.ts): true
// only when every value was checked and lies within bounds; anything else leaves the serial
// check (plausibility.ts) to run and name the frame and atom.
import { afterAll, describe, expect, it } from 'vitest';
import { coordinatesInBoundsParallel } from '../../src/io/bounds-parallel.js';
import { closeParsePool, parseThreadsStarted, warmParsePool } from '../../src/io/parse-pool.js';
import { MAX_ABS_FRACTIONAL } from '../../src/io/plausibility.js';

afterAll(async () => {
  await closeParsePool();
});

function frames(n: number, shared = true): Float64Array {
  const a = new Float64Array(shared ? new SharedArrayBuffer(n * 8) : new ArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) a[i] = ((i * 7919) % 4001) / 1000 - 2;
  return a;
}

describe('coordinatesInBoundsParallel', () => {
  const n = 4_200_000;

  it('answers false without running parse threads (the serial check runs)', async () => {
    await closeParsePool();
    expect(await coordinatesInBoundsParallel(frames(n), n)).toBe(false);
  });

  it('checks every value on the threads and this one: in bounds, one beyond, NaN, ±Infinity at the ends of ranges', async () => {
    warmParsePool(2);
    expect(parseThreadsStarted()).toBe(2);
    const a = frames(n);
    expect(await coordinatesInBoundsParallel(a, n)).toBe(true);
    // The first, last and a range-boundary value (6 lanes' tasks: n/6), each alone out of bounds.
    for (const i of [0, n - 1, Math.floor(n / 6), Math.floor(n / 6) - 1, 2_345_678]) {
      for (const bad of [MAX_ABS_FRACTIONAL * 1.000001, -MAX_ABS_FRACTIONAL * 2, NaN, Infinity, -Infinity]) {
        const keep = a[i];
        a[i] = bad;
        expect(await coordinatesInBoundsParallel(a, n), `value ${bad} at ${i}`).toBe(false);
        a[i] = keep;
      }
    }
    // ±MAX_ABS_FRACTIONAL itself is within bounds; values past `n` are not looked at.
    a[10] = MAX_ABS_FRACTIONAL; a[11] = -MAX_ABS_FRACTIONAL;
    expect(await coordinatesInBoundsParallel(a, n)).toBe(true);
    const longer = frames(n + 3);
    longer[n + 1] = NaN;
    expect(await coordinatesInBoundsParallel(longer, n)).toBe(true);
  });

  it('leaves small or unshared arrays to the serial check', async () => {
    warmParsePool(1);
    expect(await coordinatesInBoundsParallel(frames(n, false), n)).toBe(false);
    expect(await coordinatesInBoundsParallel(frames(1000), 1000)).toBe(false);
  });
});
