/**
 * Decoder of the XTC compressed coordinates (xdr3dfcoord, Frans van Hoesel's algorithm in
 * GROMACS' xdrfile): integer coordinates (position × precision, rounded) packed as
 *   - the first atom of a run: three integers relative to the frame's minimum, either as one
 *     mixed-radix number of `bitsize` bits (sizes maxint − minint + 1) or, when a size exceeds
 *     2^24, as three separate bit fields;
 *   - a 1-bit flag; when set, 5 bits give the new run length (× 3 coordinates) and whether the
 *     small-difference width shrinks, stays or grows;
 *   - the run's following atoms as small differences from the previous atom, three at a time
 *     in `smallidx` bits (radix magicints[smallidx]), the first two atoms swapped (water).
 * Bits are read most significant first. Every field read is bounds-checked: a corrupt block
 * is an error, never a read past the block or an out-of-range table index.
 */

/** Radices of the small differences: ≈ 2^(i/3), so three of them take i bits. */
const MAGICINTS = Int32Array.from([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406, 512, 645, 812, 1024, 1290, 1625, 2048, 2580,
  3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642, 26007, 32768, 41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280,
  416127, 524287, 660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607, 10568983, 13316085, 16777216,
]);
export const FIRSTIDX = 9;
export const LASTIDX = MAGICINTS.length;

/** Why a compressed block could not be decoded (the reader adds file and frame). */
export class XtcCorrupt extends Error {}

/** Smallest number of bits holding `size` (as GROMACS' sizeofint: bits until 2^bits > size). */
export function sizeofint(size: number): number {
  let bits = 0;
  let num = 1;
  while (size >= num && bits < 32) {
    bits++;
    num *= 2;
  }
  return bits;
}

/** Bits of the mixed-radix number with radices `sizes` (as GROMACS' sizeofints). */
export function sizeofints(sizes: ArrayLike<number>): number {
  const bytes: number[] = [1];
  for (let i = 0; i < sizes.length; i++) {
    let tmp = 0;
    let k = 0;
    for (; k < bytes.length; k++) {
      tmp = bytes[k] * sizes[i] + tmp;
      bytes[k] = tmp % 256;
      tmp = Math.floor(tmp / 256);
    }
    while (tmp !== 0) {
      bytes[k++] = tmp % 256;
      tmp = Math.floor(tmp / 256);
    }
  }
  const top = bytes[bytes.length - 1];
  let bits = 0;
  let num = 1;
  while (top >= num) {
    bits++;
    num *= 2;
  }
  return bits + (bytes.length - 1) * 8;
}

/** MSB-first bit reader over `data[start, end)`. */
class Bits {
  private pos: number;
  private readonly limit: number;
  constructor(private readonly data: Uint8Array, start: number, end: number) {
    this.pos = start * 8;
    this.limit = end * 8;
  }
  /** The next `n` (≤ 32) bits as an unsigned number. */
  read(n: number): number {
    const pos = this.pos;
    if (pos + n > this.limit) throw new XtcCorrupt(`compressed block ends inside a field (needs ${n} more bits at bit ${pos})`);
    const i = pos >>> 3, sh = pos & 7, d = this.data;
    // Fast path: the field lies within the 4 bytes from its first byte.
    if (sh + n <= 32 && i + 3 < d.length) {
      const w = ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0;
      this.pos = pos + n;
      return n === 0 ? 0 : ((w << sh) >>> 0) >>> (32 - n);
    }
    let v = 0;
    let left = n;
    while (left > 0) {
      const byte = d[this.pos >>> 3];
      const avail = 8 - (this.pos & 7);
      const take = avail < left ? avail : left;
      v = v * (1 << take) + ((byte >>> (avail - take)) & ((1 << take) - 1));
      left -= take;
      this.pos += take;
    }
    return v;
  }
}

const scratchBytes = new Float64Array(32);

/**
 * Three integers packed by GROMACS' encodeints in `nbits` bits with radices `s0, s1, s2` (the
 * bytes of the product number come least significant first), written to `out[o..o+2]`.
 */
function decodeInts(bits: Bits, nbits: number, s0: number, s1: number, s2: number, out: Int32Array, o: number): void {
  if (nbits <= 48) {
    // The packed number fits a double exactly: its bytes come least significant first.
    let v = 0, scale = 1, left = nbits;
    while (left > 8) {
      v += bits.read(8) * scale;
      scale *= 256;
      left -= 8;
    }
    if (left > 0) v += bits.read(left) * scale;
    const q2 = Math.floor(v / s2);
    out[o + 2] = v - q2 * s2;
    const q1 = Math.floor(q2 / s1);
    out[o + 1] = q2 - q1 * s1;
    if (q1 >= s0) throw new XtcCorrupt(`packed integer ${q1} exceeds its range ${s0}`);
    out[o] = q1;
    return;
  }
  const bytes = scratchBytes;
  let nb = 0;
  while (nbits > 8) {
    bytes[nb++] = bits.read(8);
    nbits -= 8;
  }
  if (nbits > 0) bytes[nb++] = bits.read(nbits);
  // Divide the little-endian byte number by s2, then s1: remainders are the last two integers.
  for (let i = 2; i > 0; i--) {
    const size = i === 2 ? s2 : s1;
    let num = 0;
    for (let j = nb - 1; j >= 0; j--) {
      num = num * 256 + bytes[j];
      const p = Math.floor(num / size);
      bytes[j] = p;
      num -= p * size;
    }
    out[o + i] = num;
  }
  let first = 0;
  for (let j = nb - 1; j >= 0; j--) first = first * 256 + bytes[j];
  if (first >= s0) throw new XtcCorrupt(`packed integer ${first} exceeds its range ${s0}`);
  out[o] = first;
}

export interface CompressedHeader {
  precision: number;
  minint: Int32Array;
  maxint: Int32Array;
  smallidx: number;
}

/**
 * Decodes `natoms` integer coordinates from the compressed bytes `data[start, end)` into
 * `ints` (length ≥ 3·natoms). Throws XtcCorrupt when the block is inconsistent.
 */
export function decodeCoords(h: CompressedHeader, data: Uint8Array, start: number, end: number, natoms: number, ints: Int32Array): void {
  const { minint, maxint } = h;
  const sizeint = [0, 1, 2].map((k) => maxint[k] - minint[k] + 1);
  if (sizeint.some((s) => !(s >= 1 && s <= 0xffffffff))) throw new XtcCorrupt(`bounding box minint ${Array.from(minint).join(' ')} maxint ${Array.from(maxint).join(' ')} is empty or too large`);
  let bitsize = 0;
  const bitsizeint = [0, 0, 0];
  if (sizeint.some((s) => s > 0xffffff)) {
    for (let k = 0; k < 3; k++) bitsizeint[k] = sizeofint(sizeint[k]);
  } else {
    bitsize = sizeofints(sizeint);
  }
  let smallidx = h.smallidx;
  if (!(smallidx >= FIRSTIDX && smallidx < LASTIDX)) throw new XtcCorrupt(`small-difference index ${smallidx} outside ${FIRSTIDX}…${LASTIDX - 1}`);
  let smaller = MAGICINTS[Math.max(FIRSTIDX, smallidx - 1)] >> 1;
  let smallnum = MAGICINTS[smallidx] >> 1;
  let sizesmall = MAGICINTS[smallidx];

  const bits = new Bits(data, start, end);
  const prev = new Int32Array(3);
  let run = 0;
  let i = 0;
  while (i < natoms) {
    const t = i * 3;
    if (bitsize === 0) {
      ints[t] = bits.read(bitsizeint[0]);
      ints[t + 1] = bits.read(bitsizeint[1]);
      ints[t + 2] = bits.read(bitsizeint[2]);
      if (ints[t] >= sizeint[0] || ints[t + 1] >= sizeint[1] || ints[t + 2] >= sizeint[2]) throw new XtcCorrupt(`atom ${i} lies outside the frame's bounding box`);
    } else {
      decodeInts(bits, bitsize, sizeint[0], sizeint[1], sizeint[2], ints, t);
    }
    i++;
    ints[t] += minint[0];
    ints[t + 1] += minint[1];
    ints[t + 2] += minint[2];
    prev[0] = ints[t];
    prev[1] = ints[t + 1];
    prev[2] = ints[t + 2];

    let isSmaller = 0;
    if (bits.read(1) === 1) {
      run = bits.read(5);
      isSmaller = run % 3;
      run -= isSmaller;
      isSmaller--;
    }
    if (run > 0) {
      if (i + run / 3 > natoms) throw new XtcCorrupt(`run of ${run / 3} atoms after atom ${i - 1} exceeds the ${natoms} atoms of the frame`);
      let s = t + 3;
      for (let k = 0; k < run; k += 3) {
        decodeInts(bits, smallidx, sizesmall, sizesmall, sizesmall, ints, s);
        i++;
        ints[s] += prev[0] - smallnum;
        ints[s + 1] += prev[1] - smallnum;
        ints[s + 2] += prev[2] - smallnum;
        if (k === 0) {
          // The encoder swapped the first two atoms of a run (water): the small one comes first.
          for (let d = 0; d < 3; d++) {
            const tmp = ints[s + d];
            ints[s + d] = prev[d];
            prev[d] = tmp;
            ints[t + d] = tmp;
          }
        } else {
          prev[0] = ints[s];
          prev[1] = ints[s + 1];
          prev[2] = ints[s + 2];
        }
        s += 3;
      }
    }
    smallidx += isSmaller;
    if (!(smallidx >= FIRSTIDX && smallidx < LASTIDX)) throw new XtcCorrupt(`small-difference index ${smallidx} left ${FIRSTIDX}…${LASTIDX - 1} after atom ${i - 1}`);
    if (isSmaller < 0) {
      smallnum = smaller;
      smaller = smallidx > FIRSTIDX ? MAGICINTS[smallidx - 1] >> 1 : 0;
    } else if (isSmaller > 0) {
      smaller = smallnum;
      smallnum = MAGICINTS[smallidx] >> 1;
    }
    sizesmall = MAGICINTS[smallidx];
  }
}
