/**
 * VASP inputs beside trajectory files: run parameters (INCAR, else OUTCAR) and element names
 * (POTCAR, else OUTCAR) of a folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readIncar, readOutcar, readPotcarElements, type VaspParams } from './incar.js';

/** Run parameters and the file they came from. */
export interface FileMeta extends VaspParams {
  source: string;
}

/** INCAR (preferred) or OUTCAR in `dir`, or null. */
export async function vaspParamsIn(dir: string): Promise<FileMeta | null> {
  const incar = join(dir, 'INCAR');
  if (existsSync(incar)) {
    const p = await readIncar(incar);
    if (p.potimFs !== null || p.tebegK !== null) return { ...p, source: incar };
  }
  const outcar = ['OUTCAR', 'OUTCAR.gz'].map((n) => join(dir, n)).find((p) => existsSync(p));
  if (outcar) {
    const o = await readOutcar(outcar);
    return { potimFs: o.potimFs, nblock: o.nblock, tebegK: o.tebegK, teendK: o.teendK, source: outcar };
  }
  return null;
}

/** Element names from POTCAR or OUTCAR in `dir` (for VASP 4 XDATCARs). */
export async function elementsIn(dir: string): Promise<string[] | null> {
  for (const n of ['POTCAR', 'POTCAR.gz']) if (existsSync(join(dir, n))) return readPotcarElements(join(dir, n));
  for (const n of ['OUTCAR', 'OUTCAR.gz']) if (existsSync(join(dir, n))) return (await readOutcar(join(dir, n))).elements;
  return null;
}
