/**
 * VASP XDATCAR reader (plain or gzip), streaming and byte-level.
 *
 * Layouts handled:
 * - VASP 5 header (title, scale, 3 lattice rows, element line, counts) and VASP 4 (no element
 *   line: names must come from the caller, see `XdatcarOptions.elements`/`resolveElements`);
 * - scale: one positive factor, three per-axis factors, or a negative number = target volume (Å³);
 * - Direct or Cartesian frames, with or without "Direct configuration= N" numbering;
 * - variable cell (NPT): a header before every frame, lattice stored per frame;
 * - several runs concatenated in one file: a repeated header whose configuration numbering
 *   restarts starts a new segment, and the step across it is checked like a file boundary;
 * - blank lines between frames, CRLF line ends, gzip (by magic bytes).
 */
import type { Hash } from 'node:crypto';
import { emptyMetadata, type Trajectory } from '../trajectory/types.js';
import { MobileFrames, countOf, worthReducing, type MobileFramesRequest, type ReducedFrames } from '../trajectory/mobile-frames.js';
import { inverse3 } from '../trajectory/lattice.js';
import { ConsistencyError, ParseError } from './errors.js';
import type { Prefetch } from './byte-source.js';
import { FrameBuffer } from './frames.js';
import { checkAtomCount, checkMemory, maxMemoryBytes } from './budget.js';
import { LineScanner } from './line-scanner.js';
import { isNonFiniteSpelling, isWellFormed } from './number.js';
import { excerpt, tokens } from './tokens.js';
import { checkBoundaries } from './run.js';
import { CoordinateGuard } from './plausibility.js';
import { parseFramesParallel } from './xdatcar-parallel.js';
import { defaultParseWorkers, parseThreadsStarted, PARALLEL_MIN_BYTES } from './parse-pool.js';
import { cartesianToFractional } from './xdatcar-coords.js';
import { parseConfigLine, XdatcarHeaderReader, type ConfigLine, type ElementNames, type Header } from './xdatcar-header.js';

export interface XdatcarOptions extends ElementNames {
  /** Receives the raw bytes of the file (for the content hash of a multi-file run). */
  hash?: Hash;
  /** Read size in bytes (tests only). */
  chunkSize?: number;
  /** The file read ahead in the background (see `prefetchGzip`). */
  prefetch?: Prefetch;
  /**
   * Default true: a last frame cut off (fewer lines than the counts say, or a last line without
   * its newline) is dropped with a warning. False: it is a ParseError.
   */
  allowTruncated?: boolean;
  /**
   * Parse threads for a large plain file (xdatcar-parallel.ts): `threads` (default
   * `defaultParseWorkers()`; 0 = this thread only) and the smallest text worth them (`minBytes`).
   */
  parallel?: { threads?: number; minBytes?: number; /** Default true: this thread parses ranges too. */ local?: boolean };
  /**
   * Keep only what the analysis uses of a long run (trajectory/mobile-frames.ts): the trajectory
   * then has `reduced` and an empty `frac`. Not when the request's species are not all in the
   * file, or the run is shorter than its `minIonFrames` (then all frames are kept as usual).
   */
  mobileFrames?: MobileFramesRequest;
  /** Bytes of all-atom frames a threaded reduced read holds at once (tests). */
  streamWindowBytes?: number;
}

/** Parse threads for this file: none for gzip (no random access), test chunk sizes, or text below the cut-over. */
function parseThreads(sc: LineScanner, opts: XdatcarOptions, frameBytes: number): number {
  const threads = opts.parallel?.threads ?? defaultParseWorkers();
  if (threads <= 0 || sc.gzip || opts.chunkSize !== undefined) return 0;
  const min = opts.parallel?.minBytes ?? (parseThreadsStarted() >= threads ? PARALLEL_MIN_BYTES.warm : PARALLEL_MIN_BYTES.cold);
  return frameBytes >= min ? threads : 0;
}

/** What `parse` answers when the parallel plan did not hold: read the file again on one thread. */
const SERIAL = Symbol('serial');
/** What `parse` answers when the reduced frames cannot be those of the full path: read again keeping all frames. */
const FULL = Symbol('full');

function sameLattice(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let scale = 0;
  for (let i = 0; i < 9; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < 9; i++) if (Math.abs(a[i] - b[i]) > 1e-6 * scale) return false;
  return true;
}

/** Reads one XDATCAR (plain or gzipped) into a Trajectory. */
export async function readXdatcar(path: string, opts: XdatcarOptions = {}): Promise<Trajectory> {
  const sc = await LineScanner.open(path, { hash: opts.hash, chunkSize: opts.chunkSize, prefetch: opts.prefetch, dropUnterminated: true });
  try {
    const t = await parse(sc, opts);
    if (t === FULL) {
      await sc.drain();
      return readXdatcar(path, { ...opts, hash: undefined, mobileFrames: undefined });
    }
    if (t !== SERIAL) return t;
  } finally {
    sc.close();
  }
  // The hash already has every byte (the parallel attempt read them all).
  return readXdatcar(path, { ...opts, hash: undefined, parallel: { threads: 0 } });
}

/** Atoms of the first header: count, species index per atom, and "Li 2, S 2" for messages. */
interface Atoms {
  n: number;
  speciesOf: Uint16Array;
  countsText: string;
}

/** Where the reader stands between frames: the header and configuration line in force, and the runs seen. */
interface RunState {
  header: Header;
  /** Inverse lattice for Cartesian frames (null until needed, or after the cell changed). */
  Linv: Float64Array | null;
  cfg: ConfigLine;
  /** Per-frame lattices, once the cell varies. */
  lat: FrameBuffer | null;
  lastConfig: number | null;
  /** Frames where a concatenated run starts, and the line that says so. */
  runStarts: number[];
  runLines: number[];
}

/** The mobile species a reduced read keeps, or null (no request, or species the file lacks). */
function reducedSpecies(req: MobileFramesRequest | undefined, h: Header): string[] | null {
  const mobile = req?.mobile(h.species, req.preferred ?? null) ?? null;
  return mobile && mobile.length > 0 && mobile.every((e) => h.species.includes(e)) ? mobile : null;
}

async function parse(sc: LineScanner, opts: XdatcarOptions): Promise<Trajectory | typeof SERIAL | typeof FULL> {
  const p = new XdatcarHeaderReader(sc, opts);
  const h0 = await p.header(true);
  // Before anything is allocated for them: the counts must fit the file and the memory budget.
  checkAtomCount(h0.counts.reduce((a, b) => a + b, 0), { file: sc.file, line: h0.countsLine }, { fileSize: sc.fileSize, gzip: sc.gzip }, 'total atom count');
  const atoms = atomsOf(h0);
  const cfg = await p.config(0);
  const st: RunState = { header: h0, Linv: null, cfg, lat: null, lastConfig: cfg.number, runStarts: [], runLines: [] };
  const headerStart = sc.bytePos;
  const threads = parseThreads(sc, opts, sc.fileSize - headerStart);
  const stride = atoms.n * 3;
  const req = opts.mobileFrames;
  const mobile = reducedSpecies(req, h0);
  const newSink = (frames: number): MobileFrames => new MobileFrames({ species: h0.species, speciesOf: atoms.speciesOf }, {
    mobile: mobile as string[], removeDrift: req!.removeDrift, framesHint: frames,
    budget: (bytes, what) => checkMemory(bytes, { file: sc.file }, what),
  });
  // A reduced read keeps no frames for `checkLoaded`'s coordinate check: it is made here, on the
  // first frame holding an impossible coordinate, and said once the file is read (as then).
  const guard = new CoordinateGuard(sc.file, stride);
  if (threads > 0 && cfg.number !== null) {
    const hold: { sink: MobileFrames | null } = { sink: null };
    // This thread first feeds the rest of the file to the content hash, then parses ranges too.
    const drained = opts.hash ? sc.drain() : Promise.resolve();
    drained.catch(() => { /* awaited below, after the threads are done */ });
    const r = await parseFramesParallel({
      file: sc.file, fileSize: sc.fileSize, coordsStart: headerStart, nAtoms: atoms.n, firstNumber: cfg.number, threads, localReady: opts.parallel?.local === false ? null : drained,
      cartesian: cfg.cartesian, cartScale: h0.cartScale, Linv: cfg.cartesian ? inverse3(h0.lattice) : null,
      alloc: (nFrames) => new Float64Array(new SharedArrayBuffer(nFrames * atoms.n * 24)),
      stream: mobile && req ? (nFrames) => {
        if (!worthReducing(req, h0.species, h0.counts, mobile, nFrames)) return null;
        const sink = hold.sink = newSink(nFrames);
        let f = 0;
        return (frames, off) => { guard.check(frames, off, f++); sink.frame(frames, off, h0.lattice); };
      } : undefined,
      windowBytes: opts.streamWindowBytes,
    });
    await drained;
    if (!('frac' in r)) return SERIAL;
    if (hold.sink) guard.report();
    if (hold.sink) return xdatcarTrajectory(sc.file, h0, atoms, st, new Float64Array(0), r.nFrames, hold.sink.finish(r.nFrames, h0.lattice));
    return xdatcarTrajectory(sc.file, h0, atoms, st, r.frac as Float64Array, r.nFrames);
  }
  // Frame 0 is read into `one`; then, from the text size, either all frames are kept in `frac`
  // (pre-sized for the whole file, grown 1.5× if that was too small) or the frames are handed to
  // `sink` one at a time through `one`.
  const one = new Float64Array(stride);
  let frac: FrameBuffer | null = null;
  let sink: MobileFrames | null = null;
  let f = 0;
  let truncated: ParseError | null = null;
  for (;;) {
    const data = frac ? (frac.ensure(f + 1), frac.data) : one;
    const off = frac ? f * stride : 0;
    truncated = await readCoordinates(sc, data, off, f, atoms);
    if (truncated) break;
    if (st.cfg.cartesian) {
      st.Linv ??= inverse3(st.header.lattice);
      cartesianToFractional(data, off, atoms.n, st.header.cartScale, st.Linv);
    }
    if (st.lat) { st.lat.ensure(f + 1); st.lat.data.set(st.header.lattice, f * 9); }
    if (f === 0) {
      // Now that one frame's size is known, size the buffer for the whole file (+2%).
      const perFrame = Math.max(1, sc.bytePos - headerStart);
      // The size hint (gzip ISIZE) is not trusted beyond the memory budget: past it the buffer grows as frames arrive.
      const est = Math.ceil(((sc.textSizeHint - headerStart) / perFrame) * 1.02) + 1;
      if (mobile && req && worthReducing(req, h0.species, h0.counts, mobile, est)) {
        const nMobile = mobile.reduce((a, e) => a + countOf(h0.species, h0.counts, e), 0);
        sink = newSink(Math.min(est, Math.max(2, Math.floor(maxMemoryBytes() / 2 / (nMobile * 12 + 32)))));
      } else {
        frac = new FrameBuffer(stride, 1, sc.file);
        frac.ensure(Math.min(est, Math.max(2, Math.floor(maxMemoryBytes() / 2 / (atoms.n * 24)))));
        frac.data.set(one);
      }
    }
    if (sink) {
      guard.check(data, off, f);
      sink.frame(data, off, st.lat ? st.header.lattice : h0.lattice);
    }
    f++;
    try {
      const more = await nextFrame(sc, p, st, f, atoms, frac ? frac.data.length / stride : Math.max(f, sink?.capacityFrames ?? 1));
      // The cell changed: the full path gives the frames before it the lattice of the header then in
      // force, which the sink had as frame 0's only if it is the first header's (not so after a
      // header that repeated the cell to within 1e-6).
      if (sink && st.lat && !sameBits(st.lat.data, h0.lattice)) return FULL;
      if (!more) break;
    } catch (err) {
      // A repeated header or configuration line cut off by the end of the file: frame f never began.
      if (!(err instanceof ParseError) || (await sc.fill())) throw err;
      truncated = err;
      break;
    }
  }
  const warnings = endWarnings(sc, f, truncated, opts.allowTruncated ?? true);
  // A run restart recorded for the dropped frame starts no segment.
  if (st.runStarts.length > 0 && st.runStarts[st.runStarts.length - 1] >= f) { st.runStarts.pop(); st.runLines.pop(); }
  if (sink) guard.report();
  const traj = sink
    ? xdatcarTrajectory(sc.file, h0, atoms, st, new Float64Array(0), f, sink.finish(f, st.lat ? st.lat.data.subarray(0, 9) : h0.lattice))
    : xdatcarTrajectory(sc.file, h0, atoms, st, frac ? frac.take(f) : new Float64Array(0), f);
  traj.warnings.unshift(...warnings);
  return traj;
}

/**
 * What the end of the file says: a cut-off last frame (`truncated`, or a last line without its
 * newline, which the scanner dropped) is dropped with a warning naming the frame, or is the
 * error when `allowTruncated` is false or no frame is complete.
 */
function endWarnings(sc: LineScanner, nFrames: number, truncated: ParseError | null, allowTruncated: boolean): string[] {
  const cut = sc.cut ? ` (its last line, line ${sc.cut.line} "${sc.cut.text.trim().slice(0, 40)}", has no newline: cut while being written)` : '';
  if (truncated) {
    if (!allowTruncated || nFrames === 0) {
      const what = truncated.message.slice(truncated.message.indexOf(': ', sc.file.length) + 2);
      throw new ParseError(`${what}${cut}${nFrames > 0 ? `. Pass allowTruncated to keep the ${nFrames} complete frames` : ''}`, { file: sc.file, line: truncated.line, frame: nFrames });
    }
    return [`${sc.file}: frame ${nFrames} is incomplete${cut}: the file ends inside it (line ${truncated.line}); the incomplete frame was dropped, ${nFrames} complete frames kept`];
  }
  if (sc.cut) return [`${sc.file}: the last line (line ${sc.cut.line}, "${sc.cut.text.trim().slice(0, 40)}") has no newline and was ignored; ${nFrames} complete frames kept`];
  return [];
}

function atomsOf(h: Header): Atoms {
  const { species, counts } = h;
  const n = counts.reduce((a, b) => a + b, 0);
  const speciesOf = new Uint16Array(n);
  for (let s = 0, i = 0; s < counts.length; s++) for (let k = 0; k < counts[s]; k++) speciesOf[i++] = s;
  return { n, speciesOf, countsText: species.map((s, i) => `${s} ${counts[i]}`).join(', ') };
}

/**
 * The coordinate lines of frame `f` into `out[off…]` (three numbers per atom); the error saying
 * where, when the file ends inside the frame (the caller decides whether that is fatal).
 */
async function readCoordinates(sc: LineScanner, out: Float64Array, off: number, f: number, atoms: Atoms): Promise<ParseError | null> {
  const n = atoms.n;
  let k = 0;
  while (k < n) {
    if (sc.pos >= sc.end && !(await sc.fill())) {
      return new ParseError(
        `file ends in the middle of frame ${f} after ${k} of ${n} coordinate lines; expected ${n} lines (${atoms.countsText}) — truncated file?`,
        { file: sc.file, line: sc.line, frame: f },
      );
    }
    k = sc.triples(n, k, out, off);
    if (k < n && sc.pos < sc.end) throw await coordError(sc, f, k, n, atoms.countsText);
  }
  return null;
}

/**
 * What follows frame `f - 1`: the next configuration line, a repeated header (variable cell, or
 * another run appended), or the end of the file (false).
 */
async function nextFrame(sc: LineScanner, p: XdatcarHeaderReader, st: RunState, f: number, atoms: Atoms, framesHint: number): Promise<boolean> {
  if (!(await sc.skipBlankLines())) return false;
  const text = (await sc.peekLine()) ?? '';
  const c = parseConfigLine(text);
  if (c) {
    sc.skipLine();
    if (c.number !== null && st.lastConfig !== null && c.number <= st.lastConfig && !st.lat) {
      // Numbering restarts without a header: a concatenated run with its header stripped.
      st.runStarts.push(f); st.runLines.push(sc.line - 1);
    }
    st.lastConfig = c.number;
    st.cfg = c;
    return true;
  }
  if (isCoordinateLike(text)) {
    throw new ParseError(
      `frame ${f - 1} has more coordinate lines than the counts line says (${atoms.n}: ${atoms.countsText}); expected "Direct configuration= ${f + 1}" or a new header, found "${excerpt(text)}"`,
      { file: sc.file, line: sc.line, frame: f - 1 },
    );
  }
  await repeatedHeader(p, st, f, atoms, framesHint);
  return true;
}

/** A repeated header: variable cell (NPT), or another run appended to this file. */
async function repeatedHeader(p: XdatcarHeaderReader, st: RunState, f: number, atoms: Atoms, framesHint: number): Promise<void> {
  const h = await p.header(false);
  // Every header so far had the first one's species and counts.
  const cur = st.header;
  if (h.species.join(' ') !== cur.species.join(' ') || h.counts.join(' ') !== cur.counts.join(' ')) {
    throw new ConsistencyError(
      `header repeated with different species/counts (${h.species.map((s, i) => `${s} ${h.counts[i]}`).join(', ')}); expected the same as the first header (${atoms.countsText})`,
      { file: p.file, line: h.line, frame: f },
    );
  }
  const cellChanged = !sameLattice(h.lattice, st.header.lattice);
  const next = await p.config(f);
  const last = st.lastConfig;
  const restart = next.number === null || last === null || next.number <= last;
  if (cellChanged && !st.lat) {
    st.lat = new FrameBuffer(9, framesHint, p.file);
    for (let g = 0; g < f; g++) st.lat.data.set(st.header.lattice, g * 9);
  }
  if (!cellChanged && restart) { st.runStarts.push(f); st.runLines.push(h.line); }
  else if (cellChanged && next.number !== null && last !== null && next.number <= last) { st.runStarts.push(f); st.runLines.push(h.line); }
  if (cellChanged) st.Linv = null;
  st.header = h;
  st.lastConfig = next.number;
  st.cfg = next;
}

/** The trajectory of the file: one segment per run it holds, boundaries between runs checked. */
function xdatcarTrajectory(file: string, h0: Header, atoms: Atoms, st: RunState, frac: Float64Array, nFrames: number, reduced?: ReducedFrames): Trajectory {
  const meta = emptyMetadata('xdatcar');
  meta.sourcePaths = [file];
  meta.title = h0.title.trim();
  const { runStarts, runLines, lat } = st;
  const traj: Trajectory = {
    nFrames,
    nAtoms: atoms.n,
    species: [...h0.species],
    counts: [...h0.counts],
    speciesOf: atoms.speciesOf,
    frac,
    lattice: lat ? lat.take(nFrames) : Float64Array.from(h0.lattice),
    variableCell: lat !== null,
    segments: [],
    discontinuities: [],
    metadata: meta,
    warnings: [],
  };
  if (reduced) traj.reduced = reduced;
  const starts = [0, ...runStarts];
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : nFrames;
    traj.segments.push({ file, startFrame: starts[i], nFrames: end - starts[i] });
  }
  if (runStarts.length > 0) {
    traj.warnings.push(
      `${file} holds ${runStarts.length + 1} runs one after another (header or numbering restarts at line${runLines.length > 1 ? 's' : ''} ${runLines.join(', ')}); read as one trajectory`,
    );
    checkBoundaries(traj, runStarts, (b) => `run restarting at line ${runLines[runStarts.indexOf(b)]} of ${file}`);
  }
  return traj;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < 9; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function isCoordinateLike(text: string): boolean {
  const t = tokens(text);
  return t.length === 3 && t.every((x) => isWellFormed(x) || isNonFiniteSpelling(x));
}

/** Explains why line k+1 of a frame is not a coordinate line. */
async function coordError(sc: LineScanner, f: number, k: number, n: number, countsText: string): Promise<ParseError> {
  const text = (await sc.peekLine()) ?? '';
  const loc = { file: sc.file, line: sc.line, frame: f };
  const toks = tokens(text);
  if (parseConfigLine(text) || (toks.length > 0 && toks.every((t) => /^[A-Za-z]/.test(t)) && toks.length !== 3)) {
    return new ParseError(`frame ${f} has only ${k} coordinate lines but the counts line says ${n} (${countsText}); expected ${n} lines, found "${excerpt(text)}"`, loc);
  }
  if (toks.length === 0) return new ParseError(`blank line inside frame ${f} after ${k} of ${n} coordinate lines; expected ${n} lines of three numbers (${countsText})`, loc);
  const badTok = toks.find((t) => !isWellFormed(t));
  if (badTok !== undefined) {
    const why = isNonFiniteSpelling(badTok) ? ' (NaN/Inf are not valid coordinates)' : /^\*+$/.test(badTok) ? ' (Fortran overflow)' : '';
    return new ParseError(`expected three numbers on coordinate line ${k + 1} of ${n} in frame ${f}, found "${excerpt(badTok, 30)}"${why}`, loc);
  }
  if (toks.length !== 3) {
    return new ParseError(`expected three numbers on coordinate line ${k + 1} of ${n} in frame ${f}, found ${toks.length}: "${excerpt(text)}"`, loc);
  }
  return new ParseError(`expected three finite numbers on coordinate line ${k + 1} of ${n} in frame ${f}, found "${excerpt(text)}" (out of range)`, loc);
}
