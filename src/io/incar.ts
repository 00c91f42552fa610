/**
 * Run parameters from VASP's INCAR (the input) and, as a fallback, OUTCAR (its echo of the
 * parameters), plus element names from POTCAR/OUTCAR for VASP 4 style XDATCARs.
 * OUTCAR and POTCAR can be large: only their heads are read, line by line, until what is
 * needed has been seen.
 */
import { readRegularFile } from './byte-source.js';
import { LineScanner } from './line-scanner.js';
import { parseNumber } from './number.js';

export interface VaspParams {
  /** MD time step (fs). */
  potimFs: number | null;
  /** Steps between frames written to XDATCAR. */
  nblock: number | null;
  /** Start / end temperature (K). */
  tebegK: number | null;
  teendK: number | null;
}

export interface OutcarInfo extends VaspParams {
  /** Element names (TITEL, VRHFIN or POTCAR lines), in POTCAR order, or null. */
  elements: string[] | null;
  /** "ions per type", or null. */
  ionsPerType: number[] | null;
}

function num(v: string | undefined): number | null {
  if (v === undefined) return null;
  const x = parseNumber(v);
  return Number.isFinite(x) ? x : null;
}

/** Parses INCAR text: `KEY = value` statements, `;`-separated, `#`/`!` comments. */
export function parseIncar(text: string): VaspParams & { values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const raw of text.split('\n')) { // INCAR files are a few hundred bytes
    const line = raw.replace(/[#!].*$/, '');
    for (const stmt of line.split(';')) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(stmt);
      if (m) values[m[1].toUpperCase()] = m[2];
    }
  }
  const first = (k: string) => values[k]?.split(/\s+/)[0];
  return {
    values,
    potimFs: num(first('POTIM')),
    nblock: num(first('NBLOCK')),
    tebegK: num(first('TEBEG')),
    teendK: num(first('TEEND')),
  };
}

export async function readIncar(path: string): Promise<VaspParams & { values: Record<string, string> }> {
  return parseIncar((await readRegularFile(path, 16 << 20, 'INCAR')).toString('latin1'));
}

const LIMIT_LINES = 200_000;

/**
 * Reads OUTCAR's head: its INCAR echo and parameter block (POTIM, NBLOCK, TEBEG/TEEND), element
 * names and ions per type. Stops at the first ionic step (or after 200 000 lines).
 */
export async function readOutcar(path: string): Promise<OutcarInfo> {
  const info: OutcarInfo = { potimFs: null, nblock: null, tebegK: null, teendK: null, elements: null, ionsPerType: null };
  const titel: string[] = [];
  const vrhfin: string[] = [];
  const potcar: string[] = [];
  const sc = await LineScanner.open(path);
  try {
    for (let n = 0; n < LIMIT_LINES; n++) {
      const line = await sc.nextLine();
      if (line === null) break;
      let m: RegExpExecArray | null;
      if ((m = /^\s*POTIM\s*=\s*([-+0-9.eEdD]+)/.exec(line))) info.potimFs = num(m[1]);
      if ((m = /\bNBLOCK\s*=\s*(\d+)/.exec(line))) info.nblock = num(m[1]);
      if ((m = /\bTEBEG\s*=\s*([-+0-9.eEdD]+)/.exec(line))) info.tebegK = num(m[1]);
      if ((m = /\bTEEND\s*=\s*([-+0-9.eEdD]+)/.exec(line))) info.teendK = num(m[1]);
      if ((m = /^\s*TITEL\s*=\s*\S+\s+(\S+)/.exec(line))) titel.push(m[1]);
      if ((m = /^\s*VRHFIN\s*=\s*([A-Za-z]+)\s*:/.exec(line))) vrhfin.push(m[1]);
      if ((m = /^\s*POTCAR:\s+\S+\s+(\S+)/.exec(line))) potcar.push(m[1]);
      if ((m = /ions per type\s*=\s*([\d\s]+)$/.exec(line))) info.ionsPerType = m[1].trim().split(/\s+/).map(Number);
      // The parameter echo precedes the first ionic step; nothing needed comes after it.
      if (/^\s*POSITION\s+TOTAL-FORCE/.test(line) || /^-+\s*Iteration\s+1\s*\(/.test(line.trim())) break;
    }
  } finally {
    sc.close();
  }
  const clean = (names: string[]) => names.map((s) => s.split('/')[0].split('_')[0]);
  if (titel.length > 0) info.elements = clean(titel);
  else if (vrhfin.length > 0) info.elements = vrhfin;
  else if (potcar.length > 0) {
    // "POTCAR:" lines are printed twice (list, then again per species): keep the first listing.
    const k = info.ionsPerType?.length ?? firstRepeat(potcar);
    info.elements = clean(potcar.slice(0, k));
  }
  return info;
}

function firstRepeat(a: string[]): number {
  for (let n = 1; n <= a.length / 2; n++) {
    if (a.length >= 2 * n && a.slice(0, n).every((x, i) => x === a[n + i])) return n;
  }
  return a.length;
}

/** Element names from a POTCAR (one TITEL line per species). */
export async function readPotcarElements(path: string): Promise<string[] | null> {
  const out: string[] = [];
  const sc = await LineScanner.open(path);
  try {
    for (;;) {
      const line = await sc.nextLine();
      if (line === null) break;
      const m = /^\s*TITEL\s*=\s*\S+\s+(\S+)/.exec(line);
      if (m) out.push(m[1].split('/')[0].split('_')[0]);
    }
  } finally {
    sc.close();
  }
  return out.length > 0 ? out : null;
}
