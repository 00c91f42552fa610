/** `site_jumps`: the jump network, one row per ordered site pair (AnalysisResult.siteJumps). */
import type { SiteJumpRow } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const siteJumps: AnalysisTable<SiteJumpRow, 'site_jumps'> = {
  name: 'site_jumps',
  comment: 'Site-to-site jumps per ordered pair of sites (sites.site_id) of a mobile species',
  rows: (r) => r.siteJumps,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (j) => j.element },
    { name: 'from_site', type: 'INTEGER', notNull: true, comment: 'Site left (sites.site_id)', get: (j) => j.fromSite },
    { name: 'to_site', type: 'INTEGER', notNull: true, comment: 'Site reached (sites.site_id)', get: (j) => j.toSite },
    { name: 'count', type: 'INTEGER', comment: 'Number of jumps from from_site to to_site', get: (j) => j.count },
    { name: 'rate_per_ps', type: 'DOUBLE', unit: '1/ps', comment: 'Jumps per ps of the run', get: (j) => num(j.ratePerPs) },
    { name: 'transit_ps_mean', type: 'DOUBLE', unit: 'ps', comment: 'Mean transit time (ps): frames between leaving the core of one site and entering the other', get: (j) => num(j.transitPsMean) },
    { name: 'return_fraction', type: 'DOUBLE', comment: 'Fraction of these jumps the same ion undid by its next jump', get: (j) => num(j.returnFraction) },
    { name: 'length_a', type: 'DOUBLE', unit: 'Å', comment: 'Mean distance between the two centres in the images the ions used (Å)', get: (j) => num(j.lengthA) },
    { name: 'jump_class', type: 'VARCHAR', comment: 'doublet (the two sites each other\'s nearest, in one cage), intra_cage or inter_cage, by the cages of sites around lone framework anions (analysis/sites/cages.ts); the class of most jumps of the pair; NULL when the framework has no lone anion (fully bonded), only lone anions (a plain anion lattice), or the file holds only the mobile species', get: (j) => j.jumpClass },
  ],
};
