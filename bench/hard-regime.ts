// The default hop detector in the hard regime, scored against the generator's truth:
// every-MD-step frames (1 fs), an underdamped vibration of 0.33 Å RMS (period 150 fs, damping
// 300 fs), close pairs of sites (1.8 or 2.0 Å) between 2.75 Å jumps with rattling inside the pairs.
// It only measures: no detector setting is tuned here.
//
//   npx tsx bench/hard-regime.ts [--seeds 3] [--frames 20000] [--materials Li-pair-1.8,Li-pair-2.0,…] [--ou]
//
// --ou replaces the underdamped vibration by the OU process (correlation time vibTauFs) with the
// same RMS, so the two tables separate what the oscillating vibration costs.
// Per material: precision / recall / F1 pooled over the seeds (runs generated in memory, seed =
// material seed + T + i), recall split by hop kind (close-pair hop vs long jump) and by the shorter
// of the two dwells around each true hop (frames at rest before and after it). False positives
// are split into those overlapping a true hop of the same atom in time (wrong sites, or a
// transit cut in two) and those where the atom rests (the vibration taken for a hop).
// Transit intervals: for each true positive, paired with the true hop of the same atom and sites
// it overlaps most, the detected and true durations (frames), the start and end offsets, and
// whether the two intervals overlap with no tolerance.
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import type { Truth } from '../src/generate/truth.js';
import type { HopDetection } from '../src/analysis/types.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { matchAgainstTruth, recallByDwell, type DwellRecall, type TruthMatch } from '../src/validate/accuracy.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const seeds = Number(arg('--seeds', '3'));
const frames = Number(arg('--frames', '20000'));
const materials = arg('--materials', 'Li-pair-1.8,Li-pair-2.0,Li-pair-1.8-fast,Li-pair-2.0-fast,Li-sc-every-step').split(',');
const ou = process.argv.includes('--ou');

interface Tally { durDet: number[]; durTrue: number[]; startLag: number[]; endLag: number[]; overlap: number; tp: number; nTrue: number; nDetected: number; fpAtHop: number; pairTrue: number; pairFound: number; jumpTrue: number; jumpFound: number; dwell: DwellRecall[] }

/** Unmatched detections whose transit (± 2 frames, the scoring tolerance) overlaps a true hop of the same atom. */
function falsePositivesAtHops(det: HopDetection, truth: Truth, matched: Uint8Array): number {
  let n = 0;
  det.hops.forEach((d, i) => {
    if (matched[i]) return;
    if (truth.hops.some((h) => h.atom === d.atom && h.startFrame <= d.endFrame + 2 && h.endFrame >= d.startFrame - 2)) n++;
  });
  return n;
}

const isPairHop = (t: Truth, h: Truth['hops'][number]): boolean =>
  t.siteTypes !== undefined && t.siteTypes[h.fromSite] !== 'cage' && t.siteTypes[h.toSite] !== 'cage';

function addRun(acc: Tally | null, truth: Truth, det: HopDetection, m: TruthMatch): Tally {
  const found = m.trueFound, tp = m.score.tp, nDetected = m.score.nDetected;
  const dwell = recallByDwell(truth, found);
  const t: Tally = acc ?? { durDet: [], durTrue: [], startLag: [], endLag: [], overlap: 0, tp: 0, nTrue: 0, nDetected: 0, fpAtHop: 0, pairTrue: 0, pairFound: 0, jumpTrue: 0, jumpFound: 0, dwell: dwell.map((r) => ({ ...r, nTrue: 0, nFound: 0 })) };
  t.tp += tp; t.nTrue += truth.hops.length; t.nDetected += nDetected;
  t.fpAtHop += falsePositivesAtHops(det, truth, m.detectedMatched);
  truth.hops.forEach((h, i) => {
    if (isPairHop(truth, h)) { t.pairTrue++; t.pairFound += found[i]; } else { t.jumpTrue++; t.jumpFound += found[i]; }
  });
  dwell.forEach((r, b) => { t.dwell[b].nTrue += r.nTrue; t.dwell[b].nFound += r.nFound; });
  transits(t, truth, det, m);
  return t;
}

/** Each matched detection against the found true hop of its atom it overlaps most (± 2 frames). */
function transits(t: Tally, truth: Truth, det: HopDetection, m: TruthMatch): void {
  det.hops.forEach((d, i) => {
    if (!m.detectedMatched[i]) return;
    let best = -1, bestOv = -Infinity;
    truth.hops.forEach((h, j) => {
      if (h.atom !== d.atom || !m.trueFound[j]) return;
      const ov = Math.min(d.endFrame + 2, h.endFrame) - Math.max(d.startFrame - 2, h.startFrame);
      if (ov > bestOv) { bestOv = ov; best = j; }
    });
    if (best < 0) return;
    const h = truth.hops[best];
    t.durDet.push(d.endFrame - d.startFrame + 1); t.durTrue.push(h.endFrame - h.startFrame + 1);
    t.startLag.push(d.startFrame - h.startFrame); t.endLag.push(h.endFrame - d.endFrame);
    if (Math.min(d.endFrame, h.endFrame) >= Math.max(d.startFrame, h.startFrame)) t.overlap++;
  });
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');
const results: [string, Tally][] = [];
for (const name of materials) {
  const base = materialByName(name);
  const spec = { ...base, nFrames: frames, vibration: ou ? undefined : base.vibration };
  const T = spec.temperaturesK[0];
  let tally: Tally | null = null;
  for (let i = 0; i < seeds; i++) {
    const seed = spec.seed + T + i;
    const t0 = performance.now();
    const run = generateRun(spec, T, seed);
    const traj = toTrajectory(run);
    const atoms = atomsOf(traj, [spec.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
    const t1 = performance.now();
    const det = detectHopsDefault(u, traj.nFrames, atoms);
    const m = matchAgainstTruth(det, run.truth);
    tally = addRun(tally, run.truth, det, m);
    console.error(`${name} seed ${seed}: ${run.truth.hops.length} true, P ${f3(m.score.precision)} R ${f3(m.score.recall)}; generate ${((t1 - t0) / 1000).toFixed(1)} s, detect ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  }
  results.push([name, tally!]);
}

const lines: string[] = [];
lines.push(`| material | runs | true hops | detected | precision | recall | F1 | FP at a true hop / at rest | recall pair hops (n) | recall jumps (n) |`);
lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
for (const [name, t] of results) {
  const p = t.nDetected > 0 ? t.tp / t.nDetected : 1, r = t.nTrue > 0 ? t.tp / t.nTrue : 1;
  const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
  lines.push(`| ${name} | ${seeds} | ${t.nTrue} | ${t.nDetected} | ${f3(p)} | ${f3(r)} | ${f3(f1)} | ${t.fpAtHop} / ${t.nDetected - t.tp - t.fpAtHop} | ${f3(t.pairFound / t.pairTrue)} (${t.pairTrue}) | ${f3(t.jumpFound / t.jumpTrue)} (${t.jumpTrue}) |`);
}
lines.push('');
const bins = results[0][1].dwell.map((r) => (Number.isFinite(r.maxFrames) ? `${r.minFrames}–${r.maxFrames}` : `≥ ${r.minFrames}`));
lines.push(`| recall by shorter dwell (frames) | ${bins.join(' | ')} |`);
lines.push(`|---|${bins.map(() => '---:').join('|')}|`);
for (const [name, t] of results) {
  lines.push(`| ${name} | ${t.dwell.map((r) => `${f3(r.nTrue > 0 ? r.nFound / r.nTrue : NaN)} (${r.nTrue})`).join(' | ')} |`);
}
lines.push('');
lines.push('| transits of true positives | n | median frames detected / true | median ratio | start lag, median (det − true) | end lag, median (true − det) | overlap the true interval |');
lines.push('|---|---:|---|---:|---:|---:|---:|');
for (const [name, t] of results) {
  const ratio = median(t.durDet.map((d, i) => d / t.durTrue[i]));
  lines.push(`| ${name} | ${t.durDet.length} | ${median(t.durDet)} / ${median(t.durTrue)} | ${f3(ratio)} | ${median(t.startLag)} | ${median(t.endLag)} | ${f3(t.overlap / t.durDet.length)} |`);
}
console.log(`vibration: ${ou ? 'OU (overdamped)' : 'underdamped'}; ${seeds} seed(s) × ${frames} frames per material`);
console.log(lines.join('\n'));
