/**
 * Chemical element symbols, and element names from the atom names of formats that label atoms
 * rather than elements (GROMACS .gro: `Li`, `LI`, `Li1`, `S2`, `OW`, `HW1`).
 */
const SYMBOLS = (
  'H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
  'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu ' +
  'Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr'
).split(' ');

const BY_UPPER = new Map(SYMBOLS.map((s) => [s.toUpperCase(), s]));

/** Symbol of atomic number `z` (1-based), or null outside 1…103. */
export function symbolOf(z: number): string | null {
  return Number.isInteger(z) && z >= 1 && z <= SYMBOLS.length ? SYMBOLS[z - 1] : null;
}

/** True for a symbol spelled exactly as in the periodic table (`Li`, not `LI`). */
export function isElementSymbol(s: string): boolean {
  return BY_UPPER.get(s.toUpperCase()) === s;
}

/**
 * The element an atom name stands for: the letters before any digit or symbol, matched case-
 * insensitively as a whole (`LI1` → Li, `Cl` → Cl), else the first letter alone (`OW` → O,
 * `HW1` → H). Null when neither is an element. Two-letter names that are also a one-letter
 * element plus a label (`CA`: calcium or a Cα carbon) are read as the two-letter element;
 * the files this project reads are inorganic.
 */
export function elementFromAtomName(name: string): string | null {
  const letters = /^[A-Za-z]+/.exec(name.trim())?.[0];
  if (!letters) return null;
  const whole = BY_UPPER.get(letters.toUpperCase());
  if (whole) return whole;
  if (letters.length >= 2) {
    const two = BY_UPPER.get(letters.slice(0, 2).toUpperCase());
    if (two && letters[1] === letters[1].toLowerCase() && letters[0] === letters[0].toUpperCase()) return two;
  }
  return BY_UPPER.get(letters[0].toUpperCase()) ?? null;
}
