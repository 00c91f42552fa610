/**
 * The ground truth the generator writes beside each synthetic run (`<run>/truth.json`).
 * Frames are 0-based indices into the written XDATCAR; atoms are 0-based in file order.
 */
export interface TruthHop {
  /** Atom index (file order, all species). */
  atom: number;
  /** First frame of the transit: the ion has left its source site (inclusive). */
  startFrame: number;
  /** Last frame of the transit: the next frame vibrates at the target site (inclusive). */
  endFrame: number;
  /** Index into `sites` of the source and target site. */
  fromSite: number;
  toSite: number;
  /** Concerted chain this hop belongs to (every hop belongs to one; isolated hops form a chain of size 1). */
  chainId: number;
  /** True when the ion returns to the site it left in its previous hop. */
  backHop: boolean;
}

export interface TruthChain {
  chainId: number;
  /** Number of ions in the chain (1 = isolated hop). */
  size: number;
  atoms: number[];
  startFrame: number;
  endFrame: number;
}

export interface Truth {
  version: 1;
  seed: number;
  material: string;
  /** Mobile element (e.g. "Li"). */
  mobile: string;
  temperatureK: number;
  frameIntervalFs: number;
  nFrames: number;
  /** Lattice vectors as rows, Å (9 numbers). */
  lattice: number[];
  /** Mobile-ion sites, fractional coordinates. */
  sites: number[][];
  /**
   * Type of each site where the lattice model has several ('cage', 'pair-a', 'pair-b' for the
   * split-pair model), parallel to `sites`; absent for single-type lattices and older files.
   */
  siteTypes?: string[];
  /** Site of every mobile atom at frame 0, keyed by atom index. */
  initialSites: Record<string, number>;
  /** Generator parameters (activation energy eV, attempt frequency THz, vibration, chain probabilities, …). */
  params: Record<string, number | string | boolean | number[]>;
  hops: TruthHop[];
  chains: TruthChain[];
  /** Tracer D of the lattice model (cm²/s) where an analytic value exists, else null. */
  dTracerAnalyticCm2s: number | null;
  /**
   * Tracer D of the same lattice model from a long frame-less KMC (block-averaged MSD), with its
   * 1σ error: includes what the closed form cannot (concerted chains, busy/blocked windows).
   * Added by the generator; absent in older truth files.
   */
  dTracerModelCm2s?: number | null;
  dTracerModelErrCm2s?: number | null;
}
