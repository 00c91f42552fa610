// Files longer than the readers' initial array sizes (64 frames): the accumulators grow and every
// frame keeps its own box and positions.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExtxyz } from '../../src/io/extxyz.js';
import { readLammpsDump } from '../../src/io/lammps.js';
import { readVasprun } from '../../src/io/vasprun.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import type { Trajectory } from '../../src/trajectory/types.js';
import { latticeAt } from '../../src/trajectory/types.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-many-'));
const FRAMES = 150;
/** Box edge of frame f (varies, so the lattice is stored per frame) and the fractional x of atom i. */
const edge = (f: number) => 10 + f / 64;
const fx = (f: number, i: number) => ((f * 31 + i * 7) % 97) / 100;

function write(fmt: string): string {
  const out: string[] = [];
  if (fmt === 'vasprun') out.push('<modeling>', ' <atominfo>', '  <atoms> 2 </atoms>', '  <array name="atoms">', '   <set>', '    <rc><c>Li</c><c>1</c></rc>', '    <rc><c>Li</c><c>1</c></rc>', '   </set>', '  </array>', ' </atominfo>');
  for (let f = 0; f < FRAMES; f++) {
    const a = edge(f);
    const at = [0, 1].map((i) => `${fx(f, i)} 0.25 0.5`);
    if (fmt === 'lammps') out.push('ITEM: TIMESTEP', String(f), 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS pp pp pp', `0 ${a}`, `0 ${a}`, `0 ${a}`, 'ITEM: ATOMS id element xs ys zs', ...at.map((x, i) => `${i + 1} Li ${x}`));
    else if (fmt === 'extxyz') out.push('2', `Lattice="${a} 0 0 0 ${a} 0 0 0 ${a}"`, ...[0, 1].map((i) => `Li ${fx(f, i) * a} ${0.25 * a} ${0.5 * a}`));
    else if (fmt === 'xdatcar') out.push('many', '1.0', `${a} 0 0`, `0 ${a} 0`, `0 0 ${a}`, 'Li', '2', `Direct configuration= ${f + 1}`, ...at);
    else out.push(' <calculation>', '  <structure>', '   <crystal>', '    <varray name="basis">', `     <v> ${a} 0 0 </v>`, `     <v> 0 ${a} 0 </v>`, `     <v> 0 0 ${a} </v>`, '    </varray>', '   </crystal>', '   <varray name="positions">', ...at.map((x) => `    <v> ${x} </v>`), '   </varray>', '  </structure>', ' </calculation>');
  }
  if (fmt === 'vasprun') out.push('</modeling>');
  const p = join(dir, `many.${fmt}`);
  writeFileSync(p, `${out.join('\n')}\n`);
  return p;
}

const READERS: Record<string, (p: string) => Promise<Trajectory>> = {
  lammps: (p) => readLammpsDump(p), extxyz: (p) => readExtxyz(p), xdatcar: (p) => readXdatcar(p), vasprun: (p) => readVasprun(p),
};

describe.each(Object.keys(READERS))('%s reader, %i frames', (fmt) => {
  it(`keeps every one of ${FRAMES} frames`, async () => {
    const t = await READERS[fmt](write(fmt));
    expect(t.nFrames).toBe(FRAMES);
    expect(t.variableCell).toBe(true);
    for (const f of [0, 63, 64, 65, 128, FRAMES - 1]) {
      expect(latticeAt(t, f)[0], `frame ${f}`).toBe(edge(f));
      expect(t.frac[f * 6 + 3], `frame ${f}`).toBeCloseTo(fx(f, 1), 12);
    }
  });
});
