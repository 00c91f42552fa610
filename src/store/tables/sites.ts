/** `sites`: the site map of each mobile species (AnalysisResult.sites). */
import type { SiteRow } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const sites: AnalysisTable<SiteRow, 'sites'> = {
  name: 'sites',
  comment: 'Site map learned from the data: one row per site of a mobile species (periodic Gaussian mixture of its positions in the framework frame)',
  rows: (r) => r.sites,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (s) => s.element },
    { name: 'site_id', type: 'INTEGER', notNull: true, comment: 'Site id within (trajectory, element), sites sorted by fractional x, y, z', get: (s) => s.siteId },
    { name: 'site_type', type: 'INTEGER', comment: 'Type id: env_type when the file holds framework atoms, else sites whose nearest-site distances agree within their centres\' errors (χ² test; number of types set by the data)', get: (s) => s.siteType },
    { name: 'frac_x', type: 'DOUBLE', comment: 'Centre, fractional a coordinate in [0, 1)', get: (s) => num(s.fracX) },
    { name: 'frac_y', type: 'DOUBLE', comment: 'Centre, fractional b coordinate in [0, 1)', get: (s) => num(s.fracY) },
    { name: 'frac_z', type: 'DOUBLE', comment: 'Centre, fractional c coordinate in [0, 1)', get: (s) => num(s.fracZ) },
    { name: 'x_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre, Cartesian x in the cell (Å)', get: (s) => num(s.xA) },
    { name: 'y_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre, Cartesian y in the cell (Å)', get: (s) => num(s.yA) },
    { name: 'z_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre, Cartesian z in the cell (Å)', get: (s) => num(s.zA) },
    { name: 'cov_xx_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Vibration covariance xx (Å²)', get: (s) => num(s.covXxA2) },
    { name: 'cov_yy_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Vibration covariance yy (Å²)', get: (s) => num(s.covYyA2) },
    { name: 'cov_zz_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Vibration covariance zz (Å²)', get: (s) => num(s.covZzA2) },
    { name: 'cov_xy_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Vibration covariance xy (Å²)', get: (s) => num(s.covXyA2) },
    { name: 'cov_xz_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Vibration covariance xz (Å²)', get: (s) => num(s.covXzA2) },
    { name: 'cov_yz_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Vibration covariance yz (Å²)', get: (s) => num(s.covYzA2) },
    { name: 'occupancy', type: 'DOUBLE', comment: 'Mean number of ions at the site: ion-frames most likely at it / frames', get: (s) => num(s.occupancy) },
    { name: 'residence_ps_mean', type: 'DOUBLE', unit: 'ps', comment: 'Mean stay from arrival to departure (ps); NULL when no whole stay was seen', get: (s) => num(s.residencePsMean) },
    { name: 'env_type', type: 'INTEGER', comment: 'Type id from the framework environment: sites whose sorted distances to the nearest 4 time-averaged framework atoms of each element agree within the centre error and the framework atoms\' thermal spread (χ² test; number of types set by the data); NULL when the file holds only the mobile species', get: (s) => s.envType },
    { name: 'cage_id', type: 'INTEGER', comment: 'Cage of the site: its nearest free framework atom, numbered within (trajectory, element) (site_jumps.jump_class); NULL without cages', get: (s) => s.cageId },
    { name: 'centre_err_a', type: 'DOUBLE', unit: 'Å', comment: 'Standard error of the centre per axis, √(tr C/3) (Å): from the core frames of every stay, each stay weighted by its independent samples (vibration autocorrelation); NULL when no frame reached the site\'s core', get: (s) => num(s.centreErrA) },
  ],
};
