/**
 * Run files that differ only in one number (`run1_XDATCAR.gz`, `run2_…`; `run1/XDATCAR`…):
 * natural order and grouping.
 */

/** Natural order: digit runs compare as numbers (run10 after run9). */
export function naturalCompare(a: string, b: string): number {
  const ta = a.split(/(\d+)/), tb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    if (i % 2 === 1) {
      const d = Number(ta[i]) - Number(tb[i]);
      if (d !== 0) return d;
    }
    return ta[i] < tb[i] ? -1 : 1;
  }
  return ta.length - tb.length;
}

/**
 * Groups paths that differ only in one number (`run1_XDATCAR.gz`, `run2_…`; `run1/XDATCAR`,
 * `run2/XDATCAR`; `XDATCAR_01`, `XDATCAR_02`) into runs ordered by that number; every other
 * path is a group of its own. Returns [name, paths in order].
 */
export function groupNumbered(paths: readonly string[]): [string, string[]][] {
  const byKey = new Map<string, { idx: number; members: string[] }>();
  for (const p of paths) {
    const t = p.split(/(\d+)/);
    for (let i = 1; i < t.length; i += 2) {
      const key = [...t.slice(0, i), '*', ...t.slice(i + 1)].join('');
      const g = byKey.get(key) ?? { idx: i, members: [] };
      g.members.push(p);
      byKey.set(key, g);
    }
  }
  const taken = new Set<string>();
  const out: [string, string[]][] = [];
  const groups = [...byKey.entries()].filter(([, g]) => g.members.length >= 2).sort((x, y) => y[1].members.length - x[1].members.length);
  for (const [key, g] of groups) {
    const free = g.members.filter((m) => !taken.has(m));
    if (free.length < 2) continue;
    free.sort((a, b) => Number(a.split(/(\d+)/)[g.idx]) - Number(b.split(/(\d+)/)[g.idx]));
    free.forEach((m) => taken.add(m));
    out.push([key, free]);
  }
  for (const p of paths) if (!taken.has(p)) out.push([p, [p]]);
  return out.sort((a, b) => naturalCompare(a[0], b[0]));
}
