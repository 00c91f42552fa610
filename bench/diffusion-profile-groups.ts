// Shares of the diffusion stage by part, from a `node --cpu-prof` profile of bench/diffusion-profile.ts
// (the thread that ran diffusionOf in each folder given; wall-clock samples under diffusionOf, plus GC).
//
//   npx tsx bench/diffusion-profile-groups.ts DIR [DIR2 …]
import { readFileSync, readdirSync } from 'node:fs';
interface Node { id: number; callFrame: { functionName: string }; children?: number[] }
/** Samples (stack leaf first, ms) of one profile. */
function samplesOf(file: string): [string[], number][] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out: [string[], number][] = [];
  for (let i = 0; i < p.samples.length; i++) {
    const st: string[] = [];
    let id: number | undefined = p.samples[i];
    while (id !== undefined) { st.push(byId.get(id)!.callFrame.functionName || '(anon)'); id = parent.get(id); }
    out.push([st, p.timeDeltas[i] / 1000]);
  }
  return out;
}

/** The profile of the folder's thread that ran diffusionOf (tsx adds a loader thread's). */
function load(dir: string): [string[], number][] {
  let best: [string[], number][] = [], most = -1;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const s = samplesOf(`${dir}/${f}`);
    let t = 0;
    for (const [st, d] of s) if (st.includes('diffusionOf')) t += d;
    if (t > most) { most = t; best = s; }
  }
  return best;
}
const groups: [string, (s: string[]) => boolean][] = [
  ['bootstrap of the centre of mass (MsdLinearForm, replicates)', (s) => s.includes('blockBootstrapSlopeErr')],
  ['centre-of-mass tensor MSD', (s) => s.includes('segmentedTracerMsd') && !s.includes('blockBootstrapSlopeErr')],
  ['forward FFTs (tracer)', (s) => s.includes('fftForwardBitReversed') && (s.includes('chunkSpectraTensor'))],
  ['per-ion inverse FFTs', (s) => s.includes('fftFromBitReversed') && s.includes('perIonS2')],
  ['mean-tensor inverse FFTs', (s) => s.includes('fftFromBitReversed') && s.includes('tensorMsds')],
  ['spectrum split + cross/power/form products', (s) => ['zThenXForm','yzForm','keepXY','zThenX','yz'].includes(s[0])],
  ['chunk copy out of frame-major (loadChunk)', (s) => s.includes('loadChunk')],
  ['centring, packing', (s) => ['centreSignals','packPair'].includes(s[0])],
  ['per-ion S1 and S2 at the grid lags (not FFT)', (s) => (s.includes('perIonS2') || ['perIonS1','s1Sums','ionNorms'].includes(s[0])) && !s.includes('fftFromBitReversed') && !s.includes('tensorMsds')],
  ['S1 tensor products and form sums (normTile)', (s) => s[0] === 'normTile'],
  ['tracerMsd / runChunk self (power-spectrum memset before)', (s) => ['tracerMsd','runChunk','tensorTracerMsd'].includes(s[0])],
  ['garbage collector', (s) => s[0] === '(garbage collector)'],
];
for (const dir of process.argv.slice(2)) {
  const S = load(dir);
  let total = 0; for (const [st, d] of S) if (st.includes('diffusionOf') || st[0] === '(garbage collector)') total += d;
  console.log(`${dir}: diffusionOf + GC ${total.toFixed(0)} ms (wall-clock samples)`);
  let acc = 0;
  for (const [name, f] of groups) {
    let t = 0; for (const [st, d] of S) if ((st.includes('diffusionOf') || st[0] === '(garbage collector)') && f(st)) t += d;
    acc += t;
    console.log(`  ${name}: ${(100 * t / total).toFixed(1)} %`);
  }
  console.log(`  rest: ${(100 * (total - acc) / total).toFixed(1)} %`);
}
