/** The seeded PRNG every analysis step uses, so that results are reproducible for a given seed. */

/** mulberry32: small, fast, seedable; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** mulberry32 with the seed scrambled, so that small consecutive seeds start far apart. */
export function seededRandom(seed: number): () => number {
  return mulberry32((seed | 0) ^ 0x9e3779b9);
}
