/**
 * `analyzeParallel()`: `analyze()` with hop detection — most of its time — spread over worker
 * threads. The columns (ions) of each mobile species are cut into contiguous blocks that idle
 * workers take one at a time. The positions are unwrapped onto SharedArrayBuffers that every
 * worker reads (each copies out the columns of the block it works on): no per-worker copy. The result is identical to `analyze()` (timings aside): a detector
 * gives a subset of the columns exactly its share of the whole call's hops once given its slice
 * of the models it pools over a species (the registry's `sharedModels`, e.g. default's noise
 * model), which are computed once here. The workers run on the package's ThreadPool (pool.ts).
 *
 * Edge module (threads): src/analysis stays pure and knows nothing of this.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import {
  AnalysisError, analysisParams, checkAnalyzable, concludeAnalysis, detectPrepared, prepareAnalysis, sharedModelsFor,
  type PreparedAnalysis,
} from '../analysis/analyze.js';
import type { AnalyzeOptions } from '../analysis/analyze-options.js';
import { DETECTORS, type DetectorName } from '../analysis/detectors/registry.js';
import type { AnalysisResult, AtomCentres, HopDetection, RawHop } from '../analysis/types.js';
import type { Trajectory } from '../trajectory/types.js';
import { ThreadPool, type Outgoing } from './pool.js';
import type { BlockResult, BlockTask, DetectWorkerData } from './protocol.js';
import { siblingUrl } from './worker-start.js';

/**
 * Below this estimated single-thread detection time (ms) the run stays on this thread. From
 * dist/ a worker is loaded 0.1–0.3 s after its spawn (default; iondiff also loads its k-means
 * module: 0.3–0.6 s), from source under tsx 1–2 s; each worker then compiles the detector again
 * (cold JIT; in all, the parallel path cost 12–16 % more CPU than one thread on 500 ions ×
 * 12,500 frames). With 2 s of detection two free cores save ~0.5 s; below that the gain is lost
 * in the start-up. The embedded datasets and the argyrodite run (192 Li × 700 frames: 0.2 s
 * default, 0.4 s iondiff estimated) stay on one thread.
 */
export const MIN_PARALLEL_MS = 2000;

/** Blocks per worker: small enough that the last blocks even out ions of unequal cost. */
const BLOCKS_PER_WORKER = 4;

export interface ParallelOptions {
  /** Worker threads (default: the machine's available parallelism). ≤ 1: this thread only. */
  workers?: number;
  /** Smallest estimated single-thread detection time (ms) worth spreading (default MIN_PARALLEL_MS); 0: always spread. */
  minParallelMs?: number;
  /** Resource limits of each worker (e.g. `maxOldGenerationSizeMb`); a worker exceeding them fails the call. */
  resourceLimits?: ResourceLimits;
  /**
   * The caller hands over `t`'s positions: `t.frac` is emptied once the unwrapped positions exist,
   * so a one-shot call (the CLI) does not hold the whole trajectory through the analysis.
   */
  releaseFrames?: boolean;
}

export interface ParallelPlan {
  /** Worker threads to start; 1 = the plain `analyze()` in this thread. */
  workers: number;
  /** Estimated single-thread hop-detection time (ms). */
  estimatedDetectMs: number;
  /** Columns per block (0 when not spread). */
  blockSize: number;
  /** Why the run is (not) spread, for logs. */
  reason: string;
}

/**
 * How `analyzeParallel` would run `t`: worker count, block size and why. Validates `t` and the
 * options as `analyze` does (throws the same AnalysisError).
 */
export function planParallel(t: Trajectory, opts: AnalyzeOptions = {}, popts: ParallelOptions = {}): ParallelPlan {
  checkAnalyzable(t);
  const { params } = analysisParams(t, opts);
  const species = params.species as string[];
  let nIons = 0;
  for (const e of species) nIons += t.counts[t.species.indexOf(e)];
  // The detector's single-thread cost, for the decision only (short runs cost more per frame: JIT warm-up).
  const estimatedDetectMs = (nIons * t.nFrames * DETECTORS[params.method as DetectorName].costUsPerIonFrame) / 1000;
  const requested = Math.floor(popts.workers ?? availableParallelism());
  const minMs = popts.minParallelMs ?? MIN_PARALLEL_MS;
  const serial = (reason: string): ParallelPlan => ({ workers: 1, estimatedDetectMs, blockSize: 0, reason });
  if (!(requested > 1)) return serial('one worker requested');
  if (nIons < 2) return serial('fewer than 2 ions');
  if (estimatedDetectMs < minMs) return serial(`estimated detection ${estimatedDetectMs.toFixed(0)} ms < ${minMs} ms: not worth starting workers`);
  const workers = Math.min(requested, nIons);
  const blockSize = Math.max(1, Math.ceil(nIons / (workers * BLOCKS_PER_WORKER)));
  return { workers, estimatedDetectMs, blockSize, reason: `${workers} workers, blocks of ≤ ${blockSize} ions` };
}

interface Block {
  element: number;
  from: number;
  to: number;
}

/** Contiguous blocks of ≤ blockSize columns per element, each element cut into near-equal parts. */
function blocksOf(p: PreparedAnalysis, blockSize: number): Block[] {
  const blocks: Block[] = [];
  p.elements.forEach((el, e) => {
    const n = el.atoms.length;
    const parts = Math.max(1, Math.ceil(n / blockSize));
    for (let i = 0; i < parts; i++) {
      const from = Math.floor((i * n) / parts), to = Math.floor(((i + 1) * n) / parts);
      if (to > from) blocks.push({ element: e, from, to });
    }
  });
  return blocks;
}

/** Columns from–to of `b`, for messages. */
function describe(p: PreparedAnalysis, b: Block): string {
  return `${p.elements[b.element].element} ions ${b.from}–${b.to - 1}: `;
}

/** Block `b`'s task: the element's shared positions and the block's range; `shared`: its element's shared models. */
function blockTask(p: PreparedAnalysis, b: Block, shared: readonly unknown[] | undefined): Outgoing<BlockTask> {
  const el = p.elements[b.element];
  const atoms = new Int32Array(el.atoms.subarray(b.from, b.to));
  const run = { seed: p.seed, options: p.detectorOptions, shared: shared?.slice(b.from, b.to) };
  return { task: { nFrames: p.nFrames, positions: el.positions, nCols: el.atoms.length, from: b.from, to: b.to, atoms, run }, transfer: [atoms.buffer] };
}

/**
 * Detection of all blocks on the pool; the results in block order. `shared[e]`: element e's
 * shared models (or undefined); `t0`: when detection started, for the `hops:` timings.
 */
async function detectBlocks(
  pool: ThreadPool<BlockTask, BlockResult>, p: PreparedAnalysis, blocks: readonly Block[], shared: readonly (unknown[] | undefined)[], t0: number,
): Promise<BlockResult[]> {
  const left = p.elements.map((_, e) => blocks.filter((b) => b.element === e).length);
  const doneAt = p.elements.map(() => t0);
  const done = await Promise.all(blocks.map((b) => pool.runLazy(() => blockTask(p, b, shared[b.element])).then(
    (r) => {
      if (--left[b.element] === 0) doneAt[b.element] = performance.now();
      return r;
    },
    (err: unknown) => { throw new Error(`${describe(p, b)}${err instanceof Error ? err.message : String(err)}`); },
  )));
  // Wall time from the first dispatch until the element's last block came back.
  p.elements.forEach((el, k) => { p.timingsMs[`hops:${el.element}`] = doneAt[k] - t0; });
  return done;
}

/** Per element, the blocks' detections joined in column order: what one whole-element call returns. */
function mergeBlocks(p: PreparedAnalysis, blocks: readonly Block[], done: readonly BlockResult[]): HopDetection[] {
  return p.elements.map((_, e) => {
    const hops: RawHop[] = [];
    const atoms: AtomCentres[] = [];
    // every block of an element sees the same shared models, hence the same warnings: once each
    const warnings = new Set<string>();
    for (let b = 0; b < blocks.length; b++) {
      if (blocks[b].element !== e) continue;
      const r = done[b];
      for (const h of r.hops) hops.push(h);
      for (const a of r.atoms) atoms.push(a);
      for (const w of r.warnings) warnings.add(w);
    }
    return { method: p.method, hops, atoms, warnings: [...warnings] };
  });
}

/** Empties `t.frac` (releaseFrames): the analysis needs only the unwrapped positions from here on. */
function release(t: Trajectory): void {
  t.frac = new Float64Array(0);
}

/**
 * `analyze(t, opts)` with hop detection spread over worker threads (see `planParallel` for when
 * it is not). Rejects with an AnalysisError naming the trajectory's file when a worker fails.
 */
export async function analyzeParallel(t: Trajectory, opts: AnalyzeOptions = {}, popts: ParallelOptions = {}): Promise<AnalysisResult> {
  const { prepared, detections } = await prepareAndDetect(t, opts, popts);
  return concludeAnalysis(prepared, detections);
}

/**
 * Stages 1 and 2 of `analyzeParallel`: the prepared analysis and its hop detections (on worker
 * threads when the plan says so), for `concludeAnalysis`; separate so benchmarks can time the stages.
 */
export async function prepareAndDetect(
  t: Trajectory, opts: AnalyzeOptions = {}, popts: ParallelOptions = {},
): Promise<{ prepared: PreparedAnalysis; detections: HopDetection[] }> {
  const plan = planParallel(t, opts, popts);
  if (plan.workers <= 1) {
    const p = prepareAnalysis(t, opts);
    if (popts.releaseFrames) release(t);
    return { prepared: p, detections: detectPrepared(p) };
  }
  const { params } = analysisParams(t, opts);
  const workerData: DetectWorkerData = { method: params.method as DetectorName };
  // Started before unwrapping, so their module loading overlaps this thread's work.
  const pool = new ThreadPool<BlockTask, BlockResult>({
    name: 'detect', entry: siblingUrl('detect-worker', import.meta.url), size: plan.workers, workerData, resourceLimits: popts.resourceLimits,
  });
  try {
    const p = prepareAnalysis(t, opts, true);
    if (popts.releaseFrames) release(t);
    const blocks = blocksOf(p, plan.blockSize);
    const t0 = performance.now();
    // The shared models (default: the pooled noise model) from all of each element's columns,
    // once here: part of detection, as inside a whole-element call.
    const shared = p.elements.map((el) => sharedModelsFor(p.method, el.positions, p.nFrames, el.atoms.length, p.detectorOptions));
    let done: BlockResult[];
    try {
      done = await detectBlocks(pool, p, blocks, shared, t0);
    } catch (err) {
      throw new AnalysisError(`hop detection (${p.method}) failed in a worker thread: ${err instanceof Error ? err.message : String(err)}`, p.file);
    }
    // Spawn until the last worker's "loaded" was seen (this thread may be busy unwrapping till then).
    p.timingsMs['workers:start'] = pool.lastReadyAt - pool.startedAt;
    // Wall time the workers spent detecting, summed: against one thread's `hops:` it shows what
    // the split costs (cold JIT per worker) or whether the cores were really there.
    p.timingsMs['workers:busy'] = done.reduce((a, d) => a + d.detectMs, 0);
    return { prepared: p, detections: mergeBlocks(p, blocks, done) };
  } finally {
    await pool.close();
  }
}
