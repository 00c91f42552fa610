/**
 * The extxyz comment line (second line of every frame): `key=value` pairs and the
 * `Properties=name:type:ncols:…` column declaration. Numbers in values use the number grammar.
 */
import { parseNumber } from './number.js';

/** Splits an extxyz comment line into keys (lower-cased) and raw values (quotes removed). */
export function parseCommentLine(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const n = line.length;
  let i = 0;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\r';
  while (i < n) {
    while (i < n && ws(line[i])) i++;
    if (i >= n) break;
    const k0 = i;
    while (i < n && !ws(line[i]) && line[i] !== '=') i++;
    const key = line.slice(k0, i).toLowerCase();
    let j = i;
    while (j < n && ws(line[j])) j++;
    if (j < n && line[j] === '=') {
      j++;
      while (j < n && ws(line[j])) j++;
      let value = '';
      const q = line[j];
      if (q === '"' || q === "'") {
        let k = j + 1;
        let v = '';
        while (k < n && line[k] !== q) {
          if (line[k] === '\\' && k + 1 < n) k++;
          v += line[k++];
        }
        value = v;
        i = k + 1;
      } else if (q === '{' || q === '[') {
        const close = q === '{' ? '}' : ']';
        const k = line.indexOf(close, j + 1);
        const end = k < 0 ? n : k;
        value = line.slice(j + 1, end);
        i = end + 1;
      } else {
        let k = j;
        while (k < n && !ws(line[k])) k++;
        value = line.slice(j, k);
        i = k;
      }
      out.set(key, value);
    } else {
      // A bare key is a boolean flag (extxyz convention).
      if (key !== '') out.set(key, 'T');
      else i++;
    }
  }
  return out;
}

/** Where the species and position columns are, among `total` (from `Properties=`). */
export interface Columns {
  total: number;
  species: number;
  pos: number;
  text: string;
}

/** The column layout declared by `Properties=p`, or why it cannot be read (a message). */
export function parseProperties(p: string): Columns | string {
  const parts = p.split(':');
  if (parts.length % 3 !== 0) return `Properties=${p} is not a list of name:type:ncols triples`;
  let col = 0;
  let species = -1;
  let pos = -1;
  for (let k = 0; k < parts.length; k += 3) {
    const name = parts[k].toLowerCase();
    const type = parts[k + 1].toUpperCase();
    const nc = parseNumber(parts[k + 2]);
    if (!Number.isInteger(nc) || nc < 1) return `Properties=${p}: column count ${JSON.stringify(parts[k + 2])} of ${parts[k]} is not a positive integer`;
    if (!'SRIL'.includes(type) || type.length !== 1) return `Properties=${p}: type ${JSON.stringify(parts[k + 1])} of ${parts[k]} is not S, R, I or L`;
    if (name === 'species' && species < 0) {
      if (type !== 'S' || nc !== 1) return `Properties=${p}: species must be S:1`;
      species = col;
    } else if (name === 'pos' && pos < 0) {
      if (type !== 'R' || nc !== 3) return `Properties=${p}: pos must be R:3`;
      pos = col;
    }
    col += nc;
  }
  if (species < 0 || pos < 0) return `Properties=${p} lacks ${species < 0 ? 'species:S:1' : 'pos:R:3'} (both are needed)`;
  return { total: col, species, pos, text: p };
}

/** Numbers of a list value (`Lattice="…"`), blank- or comma-separated; NaN for a token that is not a number. */
export function parseNumberList(s: string): number[] {
  return s.split(/[\s,]+/).filter((x) => x !== '').map(parseNumber);
}
