/**
 * Column layout of a LAMMPS dump's `ITEM: ATOMS …` line: where the id, type, element and position
 * columns are, and which kind of positions they hold (preference order in `POSITION_SETS`).
 */

/** Kind of position columns: Cartesian (Å) or scaled (fractional). */
export const Coord = { Cart: 0, Scaled: 1 } as const;

export interface AtomColumns {
  /** The column names as written (compared to later frames' ATOMS lines). */
  text: string;
  count: number;
  id: number;
  type: number;
  element: number;
  x: number;
  y: number;
  z: number;
  /** Image flag columns (wrapped positions only), -1 when absent. */
  ix: number;
  iy: number;
  iz: number;
  coord: number;
}

/** Position column sets in order of preference: [x, y, z, kind, wrapped]. */
const POSITION_SETS: [string, string, string, number, boolean][] = [
  ['xu', 'yu', 'zu', Coord.Cart, false],
  ['xsu', 'ysu', 'zsu', Coord.Scaled, false],
  ['x', 'y', 'z', Coord.Cart, true],
  ['xs', 'ys', 'zs', Coord.Scaled, true],
];

/** The layout of the column names `names`, or the reason it cannot be read (a message). */
export function atomColumns(names: readonly string[]): AtomColumns | string {
  const ix = (n: string) => names.indexOf(n);
  const text = names.join(' ');
  const c: AtomColumns = {
    text, count: names.length, id: ix('id'), type: ix('type'), element: ix('element'),
    x: -1, y: -1, z: -1, ix: -1, iy: -1, iz: -1, coord: Coord.Cart,
  };
  for (const [a, b, z, kind, wrapped] of POSITION_SETS) {
    if (ix(a) >= 0 && ix(b) >= 0 && ix(z) >= 0) {
      c.x = ix(a); c.y = ix(b); c.z = ix(z);
      c.coord = kind;
      const withImages = wrapped && ix('ix') >= 0 && ix('iy') >= 0 && ix('iz') >= 0;
      c.ix = withImages ? ix('ix') : -1;
      c.iy = withImages ? ix('iy') : -1;
      c.iz = withImages ? ix('iz') : -1;
      break;
    }
  }
  if (c.x < 0) return `ITEM: ATOMS ${text} has no position columns: need x y z, xs ys zs, xu yu zu or xsu ysu zsu`;
  if (c.type < 0 && c.element < 0) return `ITEM: ATOMS ${text} has neither a type nor an element column`;
  return c;
}
