// Length consistency and completeness of the default hop detector on the real runs
// (issue 5): each run analysed whole and cut into 2 and 4 pieces; completeness
// Σ|hop|²/(6Nt) ÷ the MSD tracer D (lags T/10…T/2).
//
//   npx tsx bench/consistency.ts [case,case,…]     # default: every case in ../shared/data/real
//
// "intact": hops whose two residences (previous hop end … next hop start of the same ion) no cut
// crosses, in the analysis that found the hop; "near": hops ≥ 2 transits + 4 frames from a cut.
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseMobile } from '../src/analysis/analyze.js';
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import type { RawHop } from '../src/analysis/types.js';
import { discoverInFolder, loadDiscovered } from '../src/io/load.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';

const REAL = resolve(fileURLToPath(import.meta.url), '../../../shared/data/real');

const len3 = (h: RawHop) => Math.hypot(h.to[0] - h.from[0], h.to[1] - h.from[1], h.to[2] - h.from[2]);
/** Same ion, overlapping in time (±2 frames), hop vectors within half the hop's length. */
const sameHop = (a: RawHop, b: RawHop) =>
  a.atom === b.atom && a.startFrame - 2 <= b.endFrame && b.startFrame - 2 <= a.endFrame &&
  Math.hypot(a.to[0] - a.from[0] - (b.to[0] - b.from[0]), a.to[1] - a.from[1] - (b.to[1] - b.from[1]), a.to[2] - a.from[2] - (b.to[2] - b.from[2])) < 0.5 * len3(a);

function intact(hops: RawHop[], cuts: number[], T: number): RawHop[] {
  const byAtom = new Map<number, RawHop[]>();
  for (const h of hops) { const a = byAtom.get(h.atom) ?? []; a.push(h); byAtom.set(h.atom, a); }
  const out: RawHop[] = [];
  for (const hs of byAtom.values()) {
    hs.sort((a, b) => a.startFrame - b.startFrame);
    for (let i = 0; i < hs.length; i++) {
      const lo = i > 0 ? hs[i - 1].endFrame : 0, hi = i + 1 < hs.length ? hs[i + 1].startFrame : T - 1;
      if (cuts.every((c) => c <= lo || c > hi)) out.push(hs[i]);
    }
  }
  return out;
}

function pct(found: number, of: number): string {
  return of === 0 ? '–' : `${(100 * found / of).toFixed(1)} % of ${of}`;
}

const names = process.argv[2]?.split(',') ?? (existsSync(REAL) ? readdirSync(REAL).filter((d) => existsSync(join(REAL, d, 'ionsift.json'))).sort() : []);
if (names.length === 0) console.log(`no real cases (looked in ${REAL})`);
console.log(`Node ${process.version}; default detector; whole → pieces / pieces → whole\n`);
for (const name of names) {
  const dir = join(REAL, name);
  let trajs;
  try {
    const found = await discoverInFolder(dir);
    trajs = await Promise.all(found.map((d) => loadDiscovered(d)));
  } catch (e) {
    console.log(`${name}: not loaded (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
    continue;
  }
  for (const traj of trajs) {
    const label = trajs.length > 1 ? `${name}/${traj.metadata.sourcePaths[0]?.split('/').pop()}` : name;
    let el: string;
    try { el = chooseMobile(traj)[0]; } catch (e) { console.log(`${label}: ${(e as Error).message}`); continue; }
    const atoms = atomsOf(traj, [el]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [el] });
    const T = traj.nFrames, n = atoms.length;
    const t0 = performance.now();
    const whole = detectHopsDefault(u, T, atoms);
    const ms = performance.now() - t0;
    // completeness: MSD slope (Å² per frame) over 21 lags in T/10…T/2, ≤ 200 origins each
    const msdAt = (lag: number) => {
      let s = 0, c = 0;
      const st = Math.max(1, Math.floor((T - lag) / 200));
      for (let t = 0; t + lag < T; t += st) { for (let i = 0; i < n * 3; i++) { const v = u[(t + lag) * n * 3 + i] - u[t * n * 3 + i]; s += v * v; } c++; }
      return s / (c * n);
    };
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    const l0 = Math.floor(T / 10), l1 = Math.floor(T / 2);
    for (let i = 0; i <= 20; i++) { const lag = Math.round(l0 + (l1 - l0) * i / 20); const y = msdAt(lag); sx += lag; sy += y; sxx += lag * lag; sxy += lag * y; }
    const slope = (21 * sxy - sx * sy) / (21 * sxx - sx * sx);
    let h2 = 0;
    for (const h of whole.hops) h2 += len3(h) ** 2;
    const completeness = h2 / (n * (T - 1)) / slope;
    const line = [`${label}: ${el} ${n} × ${T} frames, σ ${Math.sqrt(whole.noise[0]?.sigma2 ?? NaN).toFixed(3)} Å, ${whole.hops.length} hops in ${ms.toFixed(0)} ms, completeness ${completeness.toFixed(2)}`];
    for (const nP of [2, 4]) {
      const L = Math.ceil(T / nP);
      const cuts: number[] = [], pieces: RawHop[] = [];
      for (let p = 0; p < nP; p++) {
        const a = p * L, b = Math.min(T, a + L);
        if (p > 0) cuts.push(a);
        for (const h of detectHopsDefault(u.slice(a * n * 3, b * n * 3), b - a, atoms).hops) pieces.push({ ...h, startFrame: h.startFrame + a, endFrame: h.endFrame + a });
      }
      const near = (h: RawHop) => cuts.every((c) => Math.min(Math.abs(h.startFrame - c), Math.abs(h.endFrame - c)) >= 2 * (h.endFrame - h.startFrame + 1) + 4);
      const wI = intact(whole.hops, cuts, T), pI = intact(pieces, cuts, T);
      const wN = whole.hops.filter(near), pN = pieces.filter(near);
      const f = (hs: RawHop[], other: RawHop[]) => hs.filter((h) => other.some((q) => sameHop(h, q))).length;
      line.push(`  ${nP} pieces: intact ${pct(f(wI, pieces), wI.length)} / ${pct(f(pI, whole.hops), pI.length)}; near ${pct(f(wN, pieces), wN.length)} / ${pct(f(pN, whole.hops), pN.length)}`);
    }
    console.log(line.join('\n'));
  }
}
