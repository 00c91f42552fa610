/**
 * Atom order of a LAMMPS dump: the sorted ids of frame 0 define atom indices for the whole
 * trajectory (LAMMPS writes atoms in any order unless `dump_modify sort id`).
 */

export class AtomOrder {
  /** File row of frame 0 of the atom with index r (ids ascending). */
  readonly order: Int32Array;
  /** id → index, for dense ids (the usual case); else `map`. */
  private readonly dense: Int32Array | null = null;
  private readonly map: Map<number, number> | null = null;

  /**
   * `ids` null: no id column, atoms keep file order. Throws (via `duplicate`) when an id
   * appears twice in frame 0.
   */
  constructor(ids: Float64Array | null, n: number, duplicate: (id: number) => never) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    this.order = order;
    if (ids === null) return;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (ids[i] <= ids[i - 1]) sorted = false;
    if (!sorted) order.sort((a, b) => ids[a] - ids[b]);
    for (let i = 1; i < n; i++) if (ids[order[i]] === ids[order[i - 1]]) duplicate(ids[order[i]]);
    const maxId = ids[order[n - 1]];
    const minId = ids[order[0]];
    if (minId >= 0 && maxId < 4 * n + 1024) {
      this.dense = new Int32Array(maxId + 1).fill(-1);
      for (let r = 0; r < n; r++) this.dense[ids[order[r]]] = r;
    } else {
      this.map = new Map();
      for (let r = 0; r < n; r++) this.map.set(ids[order[r]], r);
    }
  }

  /** Index of atom `id`, or -1 when frame 0 had no such id. */
  rank(id: number): number {
    if (this.dense !== null) return id >= 0 && id < this.dense.length ? this.dense[id] : -1;
    return this.map!.get(id) ?? -1;
  }
}
