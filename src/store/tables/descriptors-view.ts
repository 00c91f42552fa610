/** The `descriptors` view: every per-(trajectory, element) descriptor beside D, the table users correlate. */
import type { View, ViewColumnUse } from './view.js';

const SCREEN_AND_PLOT: readonly ViewColumnUse[] = ['screen', 'plot'];
const PLOT: readonly ViewColumnUse[] = ['plot'];
const SCREEN: readonly ViewColumnUse[] = ['screen'];

/** Display name of a material, as the arrhenius table keys it. */
export const MATERIAL_SQL = 'coalesce(t.material, t.formula, t.name)';

export const descriptorsView: View<'descriptors'> = {
  name: 'descriptors',
  comment: 'Every per-(trajectory, element) descriptor beside D and the Arrhenius fit of its material: the table to correlate',
  from: `FROM trajectories t
JOIN diffusion d USING (trajectory_id)
LEFT JOIN element_descriptors e ON e.trajectory_id = d.trajectory_id AND e.element = d.element
LEFT JOIN correlation_fits f ON f.trajectory_id = d.trajectory_id AND f.element = d.element AND f.method = 'calibrated'
LEFT JOIN arrhenius a ON a.material = ${MATERIAL_SQL} AND a.element = d.element`,
  columns: [
    { name: 'trajectory_id', type: 'VARCHAR', sql: 't.trajectory_id', comment: 'trajectories.trajectory_id' },
    { name: 'material', type: 'VARCHAR', sql: MATERIAL_SQL, comment: 'Material (trajectories.material, else formula, else name)' },
    { name: 'formula', type: 'VARCHAR', sql: 't.formula', comment: 'Reduced chemical formula' },
    { name: 'temperature_k', type: 'DOUBLE', unit: 'K', sql: 't.temperature_k', comment: 'MD temperature (K)', use: SCREEN },
    { name: 'method', type: 'VARCHAR', sql: 't.method', comment: 'Hop detector (default or iondiff)' },
    { name: 'element', type: 'VARCHAR', sql: 'd.element', comment: 'Mobile element' },
    { name: 'n_ions', type: 'INTEGER', sql: 'd.n_ions', comment: 'Number of ions of the element', use: PLOT },
    { name: 'duration_ps', type: 'DOUBLE', unit: 'ps', sql: 't.duration_ps', comment: 'Simulated time covered by the frames (ps)', use: PLOT },
    { name: 'volume_a3', type: 'DOUBLE', unit: 'Å³', sql: 't.volume_a3', comment: 'Cell volume (Å³)', use: PLOT },
    { name: 'volume_per_ion_a3', type: 'DOUBLE', unit: 'Å³', sql: 't.volume_a3 / NULLIF(d.n_ions, 0)', comment: 'Cell volume per ion of the element (Å³)', use: SCREEN_AND_PLOT },
    { name: 'n_events', type: 'INTEGER', sql: 'e.n_events', comment: 'Number of hop events of the element', use: PLOT },
    { name: 'hop_rate_per_ion_ps', type: 'DOUBLE', unit: '1/ps', sql: 'e.hop_rate_per_ion_ps', comment: 'Hops per ion per ps of observed time (discontinuous steps are no time)', use: SCREEN_AND_PLOT },
    { name: 'time_to_first_hop_ps_mean', type: 'DOUBLE', unit: 'ps', sql: 'e.time_to_first_hop_ps_mean', comment: 'Mean time before an ion\'s first hop (ps)', use: SCREEN_AND_PLOT },
    { name: 'event_duration_ps_mean', type: 'DOUBLE', unit: 'ps', sql: 'e.event_duration_ps_mean', comment: 'Mean transit duration (ps)', use: SCREEN_AND_PLOT },
    { name: 'hop_length_a_mean', type: 'DOUBLE', unit: 'Å', sql: 'e.hop_length_a_mean', comment: 'Mean hop length (Å)', use: SCREEN_AND_PLOT },
    { name: 'residence_ps_mean', type: 'DOUBLE', unit: 'ps', sql: 'e.residence_ps_mean', comment: 'Mean residence time between hops (ps)', use: SCREEN_AND_PLOT },
    { name: 'concerted_fraction', type: 'DOUBLE', sql: 'e.concerted_fraction', comment: 'Fraction of events in concerted groups (null-model calibrated)', use: SCREEN_AND_PLOT },
    { name: 'n_bodies_mean', type: 'DOUBLE', sql: 'e.n_bodies_mean', comment: 'Mean number of ions in an event\'s concerted group (null-model calibrated)', use: SCREEN_AND_PLOT },
    { name: 'concerted_fraction_excess', type: 'DOUBLE', sql: 'e.concerted_fraction_excess', comment: 'concerted_fraction beyond what independent hops give', use: SCREEN_AND_PLOT },
    { name: 'iondiff_n_bodies_mean', type: 'DOUBLE', sql: 'e.iondiff_n_bodies_mean', comment: 'IonDiff\'s time-only mean number of correlated bodies per event', use: PLOT },
    { name: 'back_hop_fraction', type: 'DOUBLE', sql: 'e.back_hop_fraction', comment: 'Fraction of hops returning to the previous centre', use: SCREEN_AND_PLOT },
    { name: 'decay_rate', type: 'DOUBLE', sql: 'e.decay_rate', comment: 'Decay rate of the calibrated n-body law (NULL unless it is exponential)', use: SCREEN_AND_PLOT },
    { name: 'correlation_amplitude', type: 'DOUBLE', sql: 'f.amplitude', comment: 'Amplitude of the calibrated n-body law fit (correlation_fits.amplitude)', use: SCREEN_AND_PLOT },
    { name: 'correlation_fit_chi2_reduced', type: 'DOUBLE', sql: 'f.chi2_reduced', comment: 'Reduced χ² of the calibrated n-body law fit (correlation_fits.chi2_reduced)', use: PLOT },
    { name: 'correlation_law', type: 'VARCHAR', sql: 'e.correlation_law', comment: 'Verdict on the exponential n-body law (exponential, not exponential, too few groups)' },
    { name: 'sites_per_ion', type: 'DOUBLE', sql: 'e.sites_per_ion', comment: 'Sites in the site map per ion of the element', use: SCREEN_AND_PLOT },
    { name: 'network_dimensionality', type: 'INTEGER', sql: 'e.network_dimensionality', comment: 'Directions the jump network percolates (0–3)', use: SCREEN_AND_PLOT },
    { name: 'return_fraction', type: 'DOUBLE', sql: 'e.return_fraction', comment: 'Fraction of site jumps the same ion undid by its next jump', use: SCREEN_AND_PLOT },
    { name: 'jump_length_a_mean', type: 'DOUBLE', unit: 'Å', sql: 'e.jump_length_a_mean', comment: 'Mean site-to-site jump length (Å)', use: SCREEN_AND_PLOT },
    { name: 'inter_cage_jump_fraction', type: 'DOUBLE', sql: 'e.inter_cage_jump_fraction', comment: 'Share of the site jumps between cages (element_descriptors.inter_cage_jump_fraction; NULL without cages)', use: SCREEN_AND_PLOT },
    { name: 'd_tracer_cm2_s', type: 'DOUBLE', unit: 'cm²/s', sql: 'd.d_tracer_cm2_s', comment: 'Tracer diffusion coefficient (cm²/s)' },
    { name: 'd_tracer_err', type: 'DOUBLE', unit: 'cm²/s', sql: 'd.d_tracer_err', comment: 'Standard error of d_tracer_cm2_s (cm²/s)' },
    { name: 'd_collective_cm2_s', type: 'DOUBLE', unit: 'cm²/s', sql: 'd.d_collective_cm2_s', comment: 'Collective (charge) diffusion coefficient (cm²/s)' },
    { name: 'd_collective_err', type: 'DOUBLE', unit: 'cm²/s', sql: 'd.d_collective_err', comment: 'Standard error of d_collective_cm2_s (cm²/s)' },
    { name: 'd_hops_cm2_s', type: 'DOUBLE', unit: 'cm²/s', sql: 'd.d_hops_cm2_s', comment: 'Tracer D implied by the detected hops (cm²/s)' },
    { name: 'haven_ratio', type: 'DOUBLE', sql: 'd.haven_ratio', comment: 'd_tracer / d_collective; NULL unless both are resolved', use: SCREEN_AND_PLOT },
    { name: 'haven_ratio_err', type: 'DOUBLE', sql: 'd.haven_ratio_err', comment: 'Standard error of haven_ratio' },
    { name: 'haven_ratio_groups', type: 'DOUBLE', sql: 'e.haven_ratio_groups', comment: 'Haven ratio implied by the concerted groups (element_descriptors.haven_ratio_groups)', use: PLOT },
    { name: 'conductivity_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: 'd.conductivity_s_cm', comment: 'Charge conductivity from the collective D at the MD temperature (S/cm); NULL unless resolved', use: PLOT },
    { name: 'conductivity_err_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: 'd.conductivity_err_s_cm', comment: 'Standard error of conductivity_s_cm (S/cm)' },
    { name: 'conductivity_ne_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: 'd.conductivity_ne_s_cm', comment: 'Nernst–Einstein conductivity from the tracer D at the MD temperature (S/cm)', use: PLOT },
    { name: 'conductivity_ne_err_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: 'd.conductivity_ne_err_s_cm', comment: 'Standard error of conductivity_ne_s_cm (S/cm)' },
    { name: 'fractional_anisotropy', type: 'DOUBLE', sql: 'd.fractional_anisotropy', comment: 'Fractional anisotropy of the tracer D tensor (0 isotropic, 1 one-dimensional)', use: SCREEN_AND_PLOT },
    { name: 'anisotropy_ratio', type: 'DOUBLE', sql: 'd.anisotropy_ratio', comment: 'Largest / smallest principal tracer D', use: PLOT },
    { name: 'diffusion_flags', type: 'VARCHAR[]', sql: 'd.flags', comment: 'Why a diffusion value is NULL (diffusion.flags)' },
    { name: 'log10_d_tracer', type: 'DOUBLE', sql: 'CASE WHEN d.d_tracer_cm2_s > 0 THEN log10(d.d_tracer_cm2_s) END', comment: 'log10 of d_tracer_cm2_s in cm²/s (NULL unless positive)', use: PLOT },
    { name: 'ea_ev', type: 'DOUBLE', unit: 'eV', sql: 'a.ea_ev', comment: 'Activation energy of the material (arrhenius.ea_ev, eV)', use: PLOT },
    { name: 'd_300k_cm2_s', type: 'DOUBLE', unit: 'cm²/s', sql: 'a.d_300k_cm2_s', comment: 'Tracer D of the material extrapolated to 300 K (arrhenius.d_300k_cm2_s, cm²/s)' },
    { name: 'ea_err_ev', type: 'DOUBLE', unit: 'eV', sql: 'a.ea_err_ev', comment: 'Standard error of ea_ev (eV)' },
  ],
};
