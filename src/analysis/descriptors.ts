/**
 * Atomistic descriptors of ion hopping, per atom and per element, in ps and Å (never frames).
 * Pure functions over the detected events; the many-body analysis (manybody/) supplies the
 * concerted numbers, IonDiff's time-only count (events' `iondiffBodies`) its own.
 */
import type { AtomSummary, ElementDescriptors, HopEvent, SiteDescriptors } from './types.js';
import type { ManyBodyRows } from './manybody/rows.js';
import { breakWithin } from './segments.js';

/** Mean of finite values, or null when there are none. */
function meanOrNull(xs: readonly number[]): number | null {
  let s = 0, n = 0;
  for (const x of xs) if (Number.isFinite(x)) { s += x; n++; }
  return n > 0 ? s / n : null;
}

/**
 * Residence intervals of one atom: the time between the end of one hop and the start of the
 * next. Only complete intervals (bounded by two hops) are returned — the stretch before the first
 * and after the last hop is censored by the run's length, and would bias short runs low. For the
 * same reason an interval that contains a discontinuity (`breaks`, segments.ts) is censored there
 * on both sides and left out.
 */
export function residenceIntervalsPs(eventsOfAtom: readonly HopEvent[], frameIntervalFs: number, breaks: readonly number[] = []): number[] {
  const out: number[] = [];
  for (let i = 1; i < eventsOfAtom.length; i++) {
    const gap = eventsOfAtom[i].startFrame - eventsOfAtom[i - 1].endFrame;
    if (breaks.length > 0 && breakWithin(eventsOfAtom[i - 1].endFrame, eventsOfAtom[i].startFrame, breaks) >= 0) continue;
    if (gap > 0) out.push((gap * frameIntervalFs) / 1000);
  }
  return out;
}

export interface AtomInput {
  atom: number;
  element: string;
  nCentres: number;
  /** Squared displacement between the first and last frame (Å²). */
  msdFinalA2: number;
}

/** Per-atom summaries. `events` must be sorted by (atom, startFrame). */
export function atomSummaries(atoms: readonly AtomInput[], events: readonly HopEvent[], frameIntervalFs: number, breaks: readonly number[] = []): AtomSummary[] {
  const byAtom = groupByAtom(events);
  return atoms.map((a) => {
    const ev = byAtom.get(a.atom) ?? [];
    return {
      atom: a.atom,
      element: a.element,
      nEvents: ev.length,
      nCentres: a.nCentres,
      residencePsMean: meanOrNull(residenceIntervalsPs(ev, frameIntervalFs, breaks)),
      msdFinalA2: a.msdFinalA2,
    };
  });
}

function groupByAtom(events: readonly HopEvent[]): Map<number, HopEvent[]> {
  const m = new Map<number, HopEvent[]>();
  for (const e of events) {
    const list = m.get(e.atom);
    if (list) list.push(e);
    else m.set(e.atom, [e]);
  }
  return m;
}

/** The descriptors from the hop events alone (the site stage adds the site ones). */
export type HopDescriptors = Omit<ElementDescriptors, keyof SiteDescriptors>;

/** Descriptors of one element of one trajectory. `durationPs`: the observed time (segments.ts `observedDurationPs` when the run has breaks). */
export function elementDescriptors(
  element: string,
  nIons: number,
  durationPs: number,
  events: readonly HopEvent[],
  frameIntervalFs: number,
  manyBody: ManyBodyRows['descriptors'],
  iondiffBodies: ArrayLike<number>,
  breaks: readonly number[] = [],
): HopDescriptors {
  const ev = events.filter((e) => e.element === element);
  const byAtom = groupByAtom(ev);
  const firstHop: number[] = [];
  const residences: number[] = [];
  for (const list of byAtom.values()) {
    firstHop.push(list[0].startPs);
    residences.push(...residenceIntervalsPs(list, frameIntervalFs, breaks));
  }
  const n = ev.length;
  return {
    element,
    nIons,
    nEvents: n,
    timeToFirstHopPsMean: meanOrNull(firstHop),
    eventDurationPsMean: meanOrNull(ev.map((e) => e.durationPs)),
    hopLengthAMean: meanOrNull(ev.map((e) => e.lengthA)),
    hopRatePerIonPs: nIons > 0 && durationPs > 0 ? n / (nIons * durationPs) : 0,
    residencePsMean: meanOrNull(residences),
    ...manyBody,
    iondiffConcertedFraction: iondiffBodies.length > 0 ? Array.from(iondiffBodies).filter((b) => b >= 2).length / iondiffBodies.length : null,
    iondiffNBodiesMean: meanOrNull(Array.from(iondiffBodies)),
    backHopFraction: n > 0 ? ev.filter((e) => e.backHop).length / n : null,
  };
}
