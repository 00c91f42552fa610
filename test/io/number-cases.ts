/**
 * Number spellings that stress a decimal parser, for the bit-identity tests of the number grammar
 * and of the readers: shortest round-trip and 17-significant-digit forms of random doubles of
 * every magnitude (normal and denormal), fixed-point forms, long digit strings, exponents near
 * the ends of the double range, and halfway cases. Deterministic for a given seed.
 */

/** Park–Miller generator in [0, 1). */
function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** A random finite double from random bits (all exponents, denormals included). */
function randomDouble(r: () => number): number {
  const b = new Uint32Array(2);
  for (;;) {
    b[0] = Math.floor(r() * 2 ** 32);
    b[1] = Math.floor(r() * 2 ** 32);
    const v = new Float64Array(b.buffer)[0];
    if (Number.isFinite(v)) return v;
  }
}

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/**
 * The exact decimal of the midpoint between a random double y in [1, 2) and the next one
 * (a round-half-to-even case), nudged by `nudge` units in its last (54th) decimal.
 */
function halfway(r: () => number, nudge: bigint): string {
  const m = BigInt(Math.floor(r() * 2 ** 52)) + (1n << 52n); // y = m / 2^52
  const num = (2n * m + 1n) * 5n ** 53n + nudge; // midpoint = (2m + 1) / 2^53 = num / 10^53
  const t = num.toString();
  return `${t.slice(0, t.length - 53)}.${t.slice(t.length - 53)}`;
}

/** `n` tricky number strings (all valid spellings of the grammar; some overflow). */
export function trickyNumbers(n: number, seed: number): string[] {
  const r = rng(seed);
  const out = [
    '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '-1.7976931348623157E+308',
    '2.2250738585072011e-308', '2.2250738585072014e-308', '4.9406564584124654e-324', '2.4703282292062327e-324',
    '2.4703282292062328e-324', '5e-324', '1e-323', '0.30000000000000004', '9007199254740993', '9007199254740992.5',
    '1.00000000000000011102230246251565404236316680908203125', '123456789012345678901234567890e-10',
    `0.${'0'.repeat(330)}1`, `1${'0'.repeat(308)}`, `1${'0'.repeat(309)}`, `0.${'0'.repeat(300)}49406564584124654e-20`,
  ];
  while (out.length < n) {
    const kind = out.length % 8;
    const x = randomDouble(r);
    if (kind === 0) out.push(String(x));
    else if (kind === 1) out.push(x.toExponential(16));
    else if (kind === 2) out.push(x.toPrecision(1 + Math.floor(r() * 21)));
    else if (kind === 3) out.push(((r() - 0.5) * 10 ** Math.floor(r() * 12)).toFixed(Math.floor(r() * 20)));
    else if (kind === 4) {
      // Long digit strings with a '.' anywhere and an exponent near the ends of the range.
      const d = digits(r, 1 + Math.floor(r() * 60));
      const dot = Math.floor(r() * (d.length + 1));
      const e = Math.floor(r() * 40) - 20 + (r() < 0.5 ? 300 : -320);
      out.push(`${r() < 0.5 ? '-' : ''}${d.slice(0, dot)}.${d.slice(dot)}e${e}`);
    } else if (kind === 5) out.push(`${digits(r, 1 + Math.floor(r() * 17))}e${Math.floor(r() * 60) - 30}`);
    else if (kind === 6) out.push(halfway(r, r() < 0.5 ? 0n : r() < 0.5 ? 1n : -1n));
    else out.push(`${r() < 0.5 ? '+' : '-'}${(r() * 100).toFixed(8)}`);
  }
  return out;
}
