// Length consistency and completeness of the default hop detector on the real runs
// (issue 5): each run analysed whole and cut into 2 and 4 pieces; completeness
// Σ|hop|²/(6Nt) ÷ the MSD tracer D (lags T/10…T/2).
//
//   npx tsx bench/consistency.ts [case,case,…]     # default: every case in ../shared/data/real
//
// "intact" / "near": see src/validate/consistency.ts.
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseMobile } from '../src/analysis/analyze.js';
import { lengthConsistency } from '../src/validate/consistency.js';
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import type { RawHop } from '../src/analysis/types.js';
import { discoverInFolder, loadDiscovered } from '../src/io/load.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';

const REAL = resolve(fileURLToPath(import.meta.url), '../../../shared/data/real');

const len3 = (h: RawHop) => Math.hypot(h.to[0] - h.from[0], h.to[1] - h.from[1], h.to[2] - h.from[2]);

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
      const c = lengthConsistency(whole.hops, pieces, cuts, T);
      line.push(`  ${nP} pieces: intact ${pct(c.intact.wholeFound, c.intact.whole)} / ${pct(c.intact.piecesFound, c.intact.pieces)}; near ${pct(c.near.wholeFound, c.near.whole)} / ${pct(c.near.piecesFound, c.near.pieces)}`);
    }
    console.log(line.join('\n'));
  }
}
