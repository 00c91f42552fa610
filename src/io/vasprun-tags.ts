/**
 * The XML vocabulary of vasprun.xml as the reader sees it: codes for the tags whose context
 * matters, roles of arrays on the element stack, and attribute/text helpers on raw bytes.
 */
import { text } from './tokens.js';

// Tag codes: only the tags whose context matters get one.
export const T_OTHER = 0, T_V = 1, T_I = 2, T_C = 3, T_RC = 4, T_VARRAY = 5, T_STRUCTURE = 6, T_CALCULATION = 7,
  T_CRYSTAL = 8, T_INCAR = 9, T_PARAMETERS = 10, T_ATOMINFO = 11, T_ARRAY = 12, T_SET = 13, T_ATOMS = 14,
  T_MODELING = 15, T_GENERATOR = 16;

const TAGS: [string, number][] = [
  ['v', T_V], ['i', T_I], ['c', T_C], ['rc', T_RC], ['varray', T_VARRAY], ['structure', T_STRUCTURE],
  ['calculation', T_CALCULATION], ['crystal', T_CRYSTAL], ['incar', T_INCAR], ['parameters', T_PARAMETERS],
  ['atominfo', T_ATOMINFO], ['array', T_ARRAY], ['set', T_SET], ['atoms', T_ATOMS], ['modeling', T_MODELING],
  ['generator', T_GENERATOR],
];
const TAG_BYTES = TAGS.map(([n, c]) => [Buffer.from(n, 'latin1'), c] as const);

/** Code of the tag name `b[s, e)` (T_OTHER for tags whose context does not matter). */
export function tagCode(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  outer: for (const [name, code] of TAG_BYTES) {
    if (name.length !== len) continue;
    for (let k = 0; k < len; k++) if (b[s + k] !== name[k]) continue outer;
    return code;
  }
  return T_OTHER;
}

// Roles of varray / array / structure elements on the stack.
export const R_NONE = 0, R_BASIS = 1, R_POSITIONS = 2, R_ATOMS = 3, R_ATOMTYPES = 4, R_STEP = 5;

/** Value of attribute `name="…"` inside the tag bytes `[s, e)`, or null. */
export function nameAttr(b: Uint8Array, s: number, e: number): string | null {
  // Looks for `name` followed by `=` and a quote; attribute order varies between VASP versions.
  for (let i = s; i + 5 < e; i++) {
    if (b[i] === 110 && b[i + 1] === 97 && b[i + 2] === 109 && b[i + 3] === 101 && (i === s || b[i - 1] === 32 || b[i - 1] === 9)) {
      let j = i + 4;
      while (j < e && b[j] === 32) j++;
      if (b[j] !== 61) continue;
      j++;
      while (j < e && b[j] === 32) j++;
      const q = b[j];
      if (q !== 34 && q !== 39) continue;
      const start = j + 1;
      let k = start;
      while (k < e && b[k] !== q) k++;
      return text(b, start, k);
    }
  }
  return null;
}

export function trimText(b: Uint8Array, s: number, e: number): string {
  return text(b, s, e).trim();
}

/** `[s, e)` without surrounding blanks. */
export function trimRange(b: Uint8Array, s: number, e: number): [number, number] {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  return [s, e];
}
