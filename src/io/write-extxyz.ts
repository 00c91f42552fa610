/**
 * Writes a Trajectory as extended XYZ: one frame per block with `Lattice`, `Properties=
 * species:S:1:pos:R:3`, `pbc="T T T"`, and `Time` (fs) / `Temperature` (K) when known.
 * Positions are Cartesian (Å), wrapped into the cell by default. Numbers are written with
 * JavaScript's shortest round-trip form, so reading the file back gives the same doubles
 * up to the fractional↔Cartesian conversion (≈1e-15 relative).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { latticeAt, type Trajectory } from '../trajectory/types.js';

export interface WriteExtxyzOptions {
  /** Wrap fractional coordinates into [0, 1) before converting (default true). */
  wrap?: boolean;
  /** gzip the output (default: when the path ends in `.gz`). */
  gzip?: boolean;
}

function wrap01(f: number): number {
  const w = f - Math.floor(f);
  // f slightly below an integer can round to exactly 1.0; that point is the cell origin.
  return w >= 1 ? 0 : w;
}

async function write(out: Writable, s: string, failed: Promise<never>): Promise<void> {
  if (!out.write(s)) await Promise.race([once(out, 'drain'), failed]);
}

export async function writeExtxyz(traj: Trajectory, path: string, opts: WriteExtxyzOptions = {}): Promise<void> {
  const doWrap = opts.wrap ?? true;
  const gz = opts.gzip ?? path.endsWith('.gz');
  const fileStream = createWriteStream(path);
  const out: Writable = gz ? createGzip() : fileStream;
  if (gz) out.pipe(fileStream);
  // Either stream failing (e.g. missing directory) must reject, even while waiting for 'drain'.
  const failed = new Promise<never>((_, reject) => {
    fileStream.once('error', reject);
    if (gz) out.once('error', reject);
  });
  failed.catch(() => undefined);
  const done = new Promise<void>((resolve) => fileStream.once('close', () => resolve()));
  const { nFrames, nAtoms, frac } = traj;
  const dt = traj.metadata.frameIntervalFs;
  const temp = traj.metadata.temperatureK;
  const names = traj.species;
  try {
    for (let f = 0; f < nFrames; f++) {
      const L = latticeAt(traj, f);
      let head = `${nAtoms}\nLattice="${Array.from(L, String).join(' ')}" Properties=species:S:1:pos:R:3`;
      if (dt !== null) head += ` Time=${f * dt}`;
      if (temp !== null) head += ` Temperature=${temp}`;
      head += ' pbc="T T T"\n';
      const lines: string[] = [head];
      const base = f * nAtoms * 3;
      for (let i = 0; i < nAtoms; i++) {
        let a = frac[base + 3 * i], b = frac[base + 3 * i + 1], c = frac[base + 3 * i + 2];
        if (doWrap) {
          a = wrap01(a);
          b = wrap01(b);
          c = wrap01(c);
        }
        const x = a * L[0] + b * L[3] + c * L[6];
        const y = a * L[1] + b * L[4] + c * L[7];
        const z = a * L[2] + b * L[5] + c * L[8];
        lines.push(`${names[traj.speciesOf[i]]} ${x} ${y} ${z}\n`);
      }
      await write(out, lines.join(''), failed);
    }
    out.end();
    await Promise.race([done, failed]);
  } catch (e) {
    out.destroy();
    fileStream.destroy();
    throw e;
  }
}
