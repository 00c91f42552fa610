// A tiny GROMACS writer for tests: .gro, TRR, and XTC with the xdr3dfcoord compression (ported
// from the encoder side of GROMACS' xdrfile, independently of src/io/xtc-coords.ts' decoder).
const MAGICINTS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406, 512, 645, 812, 1024, 1290, 1625, 2048, 2580,
  3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642, 26007, 32768, 41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280,
  416127, 524287, 660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607, 10568983, 13316085, 16777216,
];
const FIRSTIDX = 9;
const LASTIDX = MAGICINTS.length;

class Out {
  private parts: Buffer[] = [];
  int(v: number): this { const b = Buffer.alloc(4); b.writeInt32BE(v); this.parts.push(b); return this; }
  uint(v: number): this { const b = Buffer.alloc(4); b.writeUInt32BE(v); this.parts.push(b); return this; }
  float(v: number): this { const b = Buffer.alloc(4); b.writeFloatBE(v); this.parts.push(b); return this; }
  double(v: number): this { const b = Buffer.alloc(8); b.writeDoubleBE(v); this.parts.push(b); return this; }
  bytes(b: Uint8Array): this { this.parts.push(Buffer.from(b)); const pad = (4 - (b.length % 4)) % 4; if (pad) this.parts.push(Buffer.alloc(pad)); return this; }
  buffer(): Buffer { return Buffer.concat(this.parts); }
}

class BitWriter {
  bytes: number[] = [];
  private cur = 0;
  private nbits = 0;
  write(nbits: number, value: number): void {
    for (let k = nbits - 1; k >= 0; k--) {
      const bit = Math.floor(value / 2 ** k) % 2;
      this.cur = (this.cur << 1) | bit;
      if (++this.nbits === 8) { this.bytes.push(this.cur); this.cur = 0; this.nbits = 0; }
    }
  }
  finish(): Uint8Array {
    if (this.nbits > 0) { this.bytes.push(this.cur << (8 - this.nbits)); this.cur = 0; this.nbits = 0; }
    return Uint8Array.from(this.bytes);
  }
}

function sizeofint(size: number): number {
  let bits = 0, num = 1;
  while (size >= num && bits < 32) { bits++; num *= 2; }
  return bits;
}

function sizeofints(sizes: number[]): number {
  const bytes = [1];
  for (const s of sizes) {
    let tmp = 0, k = 0;
    for (; k < bytes.length; k++) { tmp = bytes[k] * s + tmp; bytes[k] = tmp % 256; tmp = Math.floor(tmp / 256); }
    while (tmp !== 0) { bytes[k++] = tmp % 256; tmp = Math.floor(tmp / 256); }
  }
  let bits = 0, num = 1;
  while (bytes[bytes.length - 1] >= num) { bits++; num *= 2; }
  return bits + (bytes.length - 1) * 8;
}

function encodeInts(w: BitWriter, nbits: number, sizes: number[], nums: number[]): void {
  const bytes: number[] = [];
  let tmp = nums[0];
  do { bytes.push(tmp % 256); tmp = Math.floor(tmp / 256); } while (tmp !== 0);
  for (let i = 1; i < 3; i++) {
    if (nums[i] >= sizes[i]) throw new Error(`encodeInts: ${nums[i]} ≥ ${sizes[i]}`);
    tmp = nums[i];
    let k = 0;
    for (; k < bytes.length; k++) { tmp = bytes[k] * sizes[i] + tmp; bytes[k] = tmp % 256; tmp = Math.floor(tmp / 256); }
    while (tmp !== 0) { bytes[k++] = tmp % 256; tmp = Math.floor(tmp / 256); }
  }
  const nb = bytes.length;
  if (nbits >= nb * 8) {
    for (const b of bytes) w.write(8, b);
    w.write(nbits - nb * 8, 0);
  } else {
    for (let i = 0; i < nb - 1; i++) w.write(8, bytes[i]);
    w.write(nbits - (nb - 1) * 8, bytes[nb - 1]);
  }
}

/** xdr3dfcoord of `x` (nm, 3·n) at `precision`: the bytes after the atom count (`long`: a 64-bit byte count, magic 2023). */
export function compressCoords(x: ArrayLike<number>, precision: number, long = false): Buffer {
  const n = x.length / 3;
  const out = new Out();
  if (n <= 9) { for (let k = 0; k < x.length; k++) out.float(x[k]); return out.buffer(); }
  const p = Math.fround(precision);
  const ints: number[] = [];
  const minint = [Infinity, Infinity, Infinity], maxint = [-Infinity, -Infinity, -Infinity];
  let mindiff = Infinity;
  let old = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const l = [0, 1, 2].map((d) => {
      const v = Math.fround(x[3 * i + d]);
      return Math.trunc(Math.fround(v >= 0 ? Math.fround(v * p) + 0.5 : Math.fround(v * p) - 0.5));
    });
    for (let d = 0; d < 3; d++) { minint[d] = Math.min(minint[d], l[d]); maxint[d] = Math.max(maxint[d], l[d]); ints.push(l[d]); }
    const diff = Math.abs(old[0] - l[0]) + Math.abs(old[1] - l[1]) + Math.abs(old[2] - l[2]);
    if (diff < mindiff && i > 0) mindiff = diff;
    old = l;
  }
  out.float(p);
  for (const v of minint) out.int(v);
  for (const v of maxint) out.int(v);
  const sizeint = [0, 1, 2].map((d) => maxint[d] - minint[d] + 1);
  let bitsize = 0;
  let bitsizeint = [0, 0, 0];
  if (sizeint.some((s) => s > 0xffffff)) bitsizeint = sizeint.map(sizeofint);
  else bitsize = sizeofints(sizeint);
  let smallidx = FIRSTIDX;
  while (smallidx < LASTIDX && MAGICINTS[smallidx] < mindiff) smallidx++;
  out.int(smallidx);
  const maxidx = Math.min(LASTIDX, smallidx + 8);
  const minidx = maxidx - 8;
  let smaller = Math.trunc(MAGICINTS[Math.max(FIRSTIDX, smallidx - 1)] / 2);
  let smallnum = Math.trunc(MAGICINTS[smallidx] / 2);
  let sizesmall = MAGICINTS[smallidx];
  const larger = Math.trunc(MAGICINTS[maxidx] / 2);
  const w = new BitWriter();
  const prev = [0, 0, 0];
  let prevrun = -1;
  let i = 0;
  const c = (a: number, d: number) => ints[3 * a + d];
  while (i < n) {
    let isSmall = 0;
    let isSmaller: number;
    if (smallidx < maxidx && i >= 1 && [0, 1, 2].every((d) => Math.abs(c(i, d) - prev[d]) < larger)) isSmaller = 1;
    else if (smallidx > minidx) isSmaller = -1;
    else isSmaller = 0;
    if (i + 1 < n && [0, 1, 2].every((d) => Math.abs(c(i, d) - c(i + 1, d)) < smallnum)) {
      for (let d = 0; d < 3; d++) { const t = ints[3 * i + d]; ints[3 * i + d] = ints[3 * i + 3 + d]; ints[3 * i + 3 + d] = t; }
      isSmall = 1;
    }
    const tmp = [0, 1, 2].map((d) => c(i, d) - minint[d]);
    if (bitsize === 0) for (let d = 0; d < 3; d++) w.write(bitsizeint[d], tmp[d]);
    else encodeInts(w, bitsize, sizeint, tmp);
    for (let d = 0; d < 3; d++) prev[d] = c(i, d);
    i++;
    let run = 0;
    const small: number[] = [];
    if (isSmall === 0 && isSmaller === -1) isSmaller = 0;
    while (isSmall && run < 8 * 3) {
      let sum = 0;
      for (let d = 0; d < 3; d++) sum += (c(i, d) - prev[d]) ** 2;
      if (isSmaller === -1 && sum >= smaller * smaller) isSmaller = 0;
      for (let d = 0; d < 3; d++) small.push(c(i, d) - prev[d] + smallnum);
      run += 3;
      for (let d = 0; d < 3; d++) prev[d] = c(i, d);
      i++;
      isSmall = i < n && [0, 1, 2].every((d) => Math.abs(c(i, d) - prev[d]) < smallnum) ? 1 : 0;
    }
    if (run !== prevrun || isSmaller !== 0) {
      prevrun = run;
      w.write(1, 1);
      w.write(5, run + isSmaller + 1);
    } else {
      w.write(1, 0);
    }
    for (let k = 0; k < run; k += 3) encodeInts(w, smallidx, [sizesmall, sizesmall, sizesmall], small.slice(k, k + 3));
    if (isSmaller !== 0) {
      smallidx += isSmaller;
      if (isSmaller < 0) { smallnum = smaller; smaller = Math.trunc(MAGICINTS[smallidx - 1] / 2); }
      else { smaller = smallnum; smallnum = Math.trunc(MAGICINTS[smallidx] / 2); }
      sizesmall = MAGICINTS[smallidx];
    }
  }
  const data = w.finish();
  if (long) out.uint(Math.floor(data.length / 2 ** 32)).uint(data.length % 2 ** 32);
  else out.int(data.length);
  out.bytes(data);
  return out.buffer();
}

export interface GmxFrame {
  /** Box rows, nm (9). */
  box: number[];
  /** Positions, nm (3·n). */
  x: ArrayLike<number>;
  time?: number;
  step?: number;
}

/** An XTC file of `frames` at `precision` (1000 = 0.001 nm); `magic` 2023 writes 64-bit block sizes. */
export function writeXtc(frames: GmxFrame[], precision = 1000, magic: 1995 | 2023 = 1995): Buffer {
  return Buffer.concat(frames.map((f, k) => {
    const n = f.x.length / 3;
    const h = new Out().int(magic).int(n).int(f.step ?? k).float(f.time ?? 0);
    for (const v of f.box) h.float(v);
    h.int(n);
    return Buffer.concat([h.buffer(), compressCoords(f.x, precision, magic === 2023)]);
  }));
}

/**
 * A TRR file (box and positions; `real` 4 = single, 8 = double precision). Frames whose index is
 * in `velocitiesOnly` carry velocities (the positions' values) instead of positions.
 */
export function writeTrr(frames: GmxFrame[], real: 4 | 8 = 4, velocitiesOnly: number[] = []): Buffer {
  return Buffer.concat(frames.map((f, k) => {
    const n = f.x.length / 3;
    const vOnly = velocitiesOnly.includes(k);
    const o = new Out().int(1993).int(13).int(12);
    o.bytes(Buffer.from('GMX_trn_file', 'latin1'));
    for (const v of [0, 0, 9 * real, 0, 0, 0, 0, vOnly ? 0 : 3 * n * real, vOnly ? 3 * n * real : 0, 0, n, f.step ?? k, 0]) o.int(v);
    const r = (v: number) => (real === 8 ? o.double(v) : o.float(v));
    r(f.time ?? 0);
    r(0);
    for (const v of f.box) r(v);
    for (let i = 0; i < f.x.length; i++) r(f.x[i]);
    return o.buffer();
  }));
}

/** A .gro with atom names `names`, positions `x` (nm) and an orthorhombic or triclinic box (nm). */
export function writeGro(title: string, names: string[], x: ArrayLike<number>, box: number[]): string {
  const lines = [title, String(names.length)];
  names.forEach((nm, i) => {
    lines.push(`${'1'.padStart(5)}${nm.padEnd(5)}${nm.padStart(5)}${String(i + 1).padStart(5)}${[0, 1, 2].map((d) => x[3 * i + d].toFixed(3).padStart(8)).join('')}`);
  });
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = box;
  const tri = [ay, az, bx, bz, cx, cy].some((v) => v !== 0);
  lines.push((tri ? [ax, by, cz, ay, az, bx, bz, cx, cy] : [ax, by, cz]).map((v) => v.toFixed(5).padStart(10)).join(''));
  return lines.join('\n') + '\n';
}
