/**
 * `analyzeParallel()`: `analyze()` with hop detection — most of its time — spread over worker
 * threads. The columns (ions) of each mobile species are cut into contiguous blocks that idle
 * workers take one at a time; each block's positions are copied into a buffer of its own and
 * transferred (not cloned). The result is identical to `analyze()` (timings aside): iondiff
 * treats ions independently, and the default detector's noise model, pooled over all columns of
 * a species, is computed once here and handed to each block as its slice.
 *
 * Edge module (threads): src/analysis stays pure and knows nothing of this.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import {
  AnalysisError, analysisParams, analyze, checkAnalyzable, concludeAnalysis, detectorCall, noiseModelsFor, prepareAnalysis,
  type PreparedAnalysis,
} from '../analysis/analyze.js';
import type { IonNoise } from '../analysis/hops-default.js';
import type { AnalysisResult, AnalyzeOptions, AtomCentres, HopDetection, RawHop } from '../analysis/types.js';
import type { Trajectory } from '../trajectory/types.js';
import type { BlockReply, BlockTask, DetectWorkerData } from './protocol.js';
import { siblingUrl, startWorker } from './worker-start.js';

/**
 * Single-thread hop-detection cost per ion and frame (µs), for the decision only: generated Li-sc,
 * 500 ions × 12,500 frames on the 2-core machine (bench/pipeline.ts, 2026-11-26): default 9–12 s,
 * iondiff ~14 s with the k-means/silhouette of that afternoon (51 s before them). Short runs
 * cost more per frame (JIT warm-up; iondiff's exact silhouettes below 5,000 frames: 4.7 µs on the
 * argyrodite run), so they are, if anything, under-estimated and kept on one thread.
 */
export const DETECT_US_PER_ION_FRAME = { default: 1.5, iondiff: 3 } as const;

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
  const method = opts.method ?? 'default';
  const species = analysisParams(t, opts).params.species as string[];
  let nIons = 0;
  for (const e of species) nIons += t.counts[t.species.indexOf(e)];
  const estimatedDetectMs = (nIons * t.nFrames * DETECT_US_PER_ION_FRAME[method]) / 1000;
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

/** Columns [from, to) of the frame-major T × n × 3 array `pos`, as their own T × (to − from) × 3 array. */
function copyColumns(pos: Float64Array, T: number, n: number, from: number, to: number): Float64Array<ArrayBuffer> {
  const w = (to - from) * 3;
  const out = new Float64Array(T * w);
  for (let f = 0; f < T; f++) {
    const src = (f * n + from) * 3, dst = f * w;
    for (let j = 0; j < w; j++) out[dst + j] = pos[src + j];
  }
  return out;
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

type Done = Extract<BlockReply, { ok: true }>;

/** Per element, the blocks' detections joined in column order: what one whole-element call returns. */
function mergeBlocks(p: PreparedAnalysis, blocks: readonly Block[], done: readonly Done[], given: readonly (IonNoise[] | undefined)[]): HopDetection[] {
  return p.elements.map((_, e) => {
    const hops: RawHop[] = [];
    const atoms: AtomCentres[] = [];
    const noise: IonNoise[] = [];
    // every block of an element sees the same shared noise model, hence the same warnings: once each
    const warnings = new Set<string>();
    for (let b = 0; b < blocks.length; b++) {
      if (blocks[b].element !== e) continue;
      const r = done[b];
      for (const h of r.hops) hops.push(h);
      for (const a of r.atoms) atoms.push(a);
      // the models this thread gave (not sent back), or those the worker estimated itself
      const models = r.noise ?? given[e]?.slice(blocks[b].from, blocks[b].to) ?? [];
      for (const m of models) noise.push(m);
      for (const w of r.warnings) warnings.add(w);
    }
    return p.method === 'default'
      ? { method: p.method, hops, atoms, noise, warnings: [...warnings] }
      : { method: p.method, hops, atoms, warnings: [...warnings] };
  });
}

/** What a worker slot is doing: the block it holds (−1: none) and whether its modules are loaded. */
interface Slot {
  worker: Worker;
  ready: boolean;
  block: number;
}

/**
 * The detection workers of one call. Every worker event is handled from the moment it starts
 * (a worker that fails while this thread is still unwrapping must not become an uncaught
 * 'error'); `run` hands blocks to idle, loaded workers one at a time.
 */
class BlockRunner {
  private readonly slots: Slot[] = [];
  private job: {
    p: PreparedAnalysis; blocks: readonly Block[]; noise: (IonNoise[] | undefined)[];
    out: Done[]; next: number; pending: number; left: number[]; t0: number; doneAt: number[];
    resolve: (out: Done[]) => void; reject: (err: Error) => void;
  } | null = null;
  /** The first failure (also before `run`), as the message for the AnalysisError. */
  private failure: string | null = null;
  private closing = false;
  readonly startedAt = performance.now();
  /** When the last worker finished loading its modules. */
  lastReadyAt = NaN;

  constructor(n: number, method: DetectWorkerData['method'], resourceLimits: ResourceLimits | undefined) {
    const entry = siblingUrl('detect-worker', import.meta.url);
    const workerData: DetectWorkerData = { method };
    for (let i = 0; i < n; i++) {
      const slot: Slot = { worker: startWorker(entry, { workerData, resourceLimits }), ready: false, block: -1 };
      this.slots.push(slot);
      slot.worker.on('message', (m: BlockReply | { ready: true }) => this.onMessage(slot, m));
      slot.worker.on('error', (err) => this.fail(`${this.describe(slot.block)}${err.message}`));
      slot.worker.on('messageerror', (err) => this.fail(`a reply could not be read: ${err.message}`));
      slot.worker.on('exit', (code) => { if (!this.closing) this.fail(`${this.describe(slot.block)}worker exited with code ${code}`); });
    }
  }

  private describe(block: number): string {
    const j = this.job;
    if (!j || block < 0) return '';
    const b = j.blocks[block];
    return `${j.p.elements[b.element].element} ions ${b.from}–${b.to - 1}: `;
  }

  private fail(msg: string): void {
    if (this.failure !== null) return;
    this.failure = msg;
    this.job?.reject(new Error(msg));
  }

  private onMessage(slot: Slot, m: BlockReply | { ready: true }): void {
    if (this.failure !== null) return;
    if (!('id' in m)) {
      slot.ready = true;
      this.lastReadyAt = performance.now();
      this.feed(slot);
      return;
    }
    if (!m.ok) { this.fail(`${this.describe(m.id)}${m.message}`); return; }
    const j = this.job as NonNullable<BlockRunner['job']>;
    slot.block = -1;
    j.out[m.id] = m;
    const e = j.blocks[m.id].element;
    if (--j.left[e] === 0) j.doneAt[e] = performance.now();
    if (--j.pending === 0) {
      // Wall time from the first dispatch until the element's last block came back.
      j.p.elements.forEach((el, k) => { j.p.timingsMs[`hops:${el.element}`] = j.doneAt[k] - j.t0; });
      j.resolve(j.out);
      return;
    }
    this.feed(slot);
  }

  /** Gives an idle, loaded worker the next block: its columns copied into a buffer that is transferred. */
  private feed(slot: Slot): void {
    const j = this.job;
    if (!j || !slot.ready || slot.block >= 0 || j.next >= j.blocks.length) return;
    const id = j.next++;
    const b = j.blocks[id];
    const el = j.p.elements[b.element];
    const positions = copyColumns(el.positions, j.p.nFrames, el.atoms.length, b.from, b.to);
    const atoms = new Int32Array(el.atoms.subarray(b.from, b.to));
    const noise = j.noise[b.element]?.slice(b.from, b.to);
    const task: BlockTask = { id, nFrames: j.p.nFrames, positions, atoms, call: detectorCall(j.p.method, { seed: j.p.seed, noise }) };
    slot.block = id;
    slot.worker.postMessage(task, [positions.buffer, atoms.buffer]);
  }

  /**
   * Detection of all blocks; the replies in block order. `noise[e]`: element e's pooled noise
   * models (or undefined); `t0`: when detection started, for the `hops:` timings.
   */
  run(p: PreparedAnalysis, blocks: readonly Block[], noise: (IonNoise[] | undefined)[], t0: number): Promise<Done[]> {
    return new Promise<Done[]>((resolve, reject) => {
      if (this.failure !== null) { reject(new Error(this.failure)); return; }
      this.job = {
        p, blocks, noise, out: new Array<Done>(blocks.length), next: 0, pending: blocks.length,
        left: p.elements.map((_, e) => blocks.filter((b) => b.element === e).length),
        t0, doneAt: p.elements.map(() => t0), resolve, reject,
      };
      if (blocks.length === 0) { resolve([]); return; }
      for (const s of this.slots) this.feed(s);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * `analyze(t, opts)` with hop detection spread over worker threads (see `planParallel` for when
 * it is not). Rejects with an AnalysisError naming the trajectory's file when a worker fails.
 */
export async function analyzeParallel(t: Trajectory, opts: AnalyzeOptions = {}, popts: ParallelOptions = {}): Promise<AnalysisResult> {
  const plan = planParallel(t, opts, popts);
  if (plan.workers <= 1) return analyze(t, opts);
  // Started before unwrapping, so their module loading overlaps this thread's work.
  const runner = new BlockRunner(plan.workers, opts.method ?? 'default', popts.resourceLimits);
  try {
    const p = prepareAnalysis(t, opts);
    const blocks = blocksOf(p, plan.blockSize);
    const t0 = performance.now();
    // The pooled noise models (default method) from all of each element's columns, once here:
    // part of detection, as inside a whole-element call.
    const noise = p.elements.map((el) => noiseModelsFor(p.method, el.positions, p.nFrames, el.atoms.length));
    let done: Done[];
    try {
      done = await runner.run(p, blocks, noise, t0);
    } catch (err) {
      throw new AnalysisError(`hop detection (${p.method}) failed in a worker thread: ${err instanceof Error ? err.message : String(err)}`, p.file);
    }
    // Spawn until the last worker's "loaded" was seen (this thread may be busy unwrapping till then).
    p.timingsMs['workers:start'] = runner.lastReadyAt - runner.startedAt;
    // Wall time the workers spent detecting, summed: against one thread's `hops:` it shows what
    // the split costs (cold JIT per worker) or whether the cores were really there.
    p.timingsMs['workers:busy'] = done.reduce((a, d) => a + d.detectMs, 0);
    return concludeAnalysis(p, mergeBlocks(p, blocks, done, noise));
  } finally {
    await runner.close();
  }
}
