-- ionsift database schema (see docs/DESIGN.md for the names users rely on).
-- GENERATED from src/store/tables/*.ts by `npx tsx scripts/schema-sql.ts`: edit the table descriptions, not this file.
-- Units are in the column names: _ps picoseconds, _fs femtoseconds, _a Ångström, _a2 Å², _a3 Å³,
-- _cm2_s cm²/s, _s_cm S/cm, _ev eV, _k kelvin. Every trajectory-level table is keyed by
-- trajectory_id and written in one transaction per trajectory (src/store/ingest.ts).

CREATE TABLE IF NOT EXISTS schema_version (
  version     INTEGER NOT NULL,
  applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS trajectories (
  trajectory_id          VARCHAR PRIMARY KEY,
  name                   VARCHAR,
  path                   VARCHAR NOT NULL,
  paths                  VARCHAR[] NOT NULL,
  content_hash           VARCHAR NOT NULL,
  files_signature        VARCHAR NOT NULL,
  format                 VARCHAR,
  material               VARCHAR,
  formula                VARCHAR,
  temperature_k          DOUBLE,
  timestep_fs            DOUBLE,
  frame_interval_fs      DOUBLE,
  n_frames               INTEGER,
  n_atoms                INTEGER,
  duration_ps            DOUBLE,
  volume_a3              DOUBLE,
  variable_cell          BOOLEAN,
  n_discontinuities      INTEGER,
  method                 VARCHAR,
  mobile                 VARCHAR[],
  params_hash            VARCHAR NOT NULL,
  analysis_params_hash   VARCHAR,
  params_json            VARCHAR,
  metadata_sources_json  VARCHAR,
  warnings               VARCHAR[],
  analysis_ms            DOUBLE,
  indexed_at             TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS species (
  trajectory_id  VARCHAR NOT NULL,
  element        VARCHAR NOT NULL,
  count          INTEGER NOT NULL,
  charge         DOUBLE,
  mobile         BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
  trajectory_id  VARCHAR NOT NULL,
  event_id       INTEGER NOT NULL,
  atom           INTEGER NOT NULL,
  element        VARCHAR NOT NULL,
  start_frame    INTEGER NOT NULL,
  end_frame      INTEGER NOT NULL,
  start_ps       DOUBLE,
  duration_ps    DOUBLE,
  length_a       DOUBLE,
  from_x_a       DOUBLE,
  from_y_a       DOUBLE,
  from_z_a       DOUBLE,
  to_x_a         DOUBLE,
  to_y_a         DOUBLE,
  to_z_a         DOUBLE,
  group_id       INTEGER,
  n_bodies       INTEGER,
  back_hop       BOOLEAN,
  from_site      INTEGER,
  to_site        INTEGER
);

CREATE TABLE IF NOT EXISTS atoms (
  trajectory_id      VARCHAR NOT NULL,
  atom               INTEGER NOT NULL,
  element            VARCHAR NOT NULL,
  n_events           INTEGER NOT NULL,
  n_centres          INTEGER,
  residence_ps_mean  DOUBLE,
  msd_final_a2       DOUBLE
);

CREATE TABLE IF NOT EXISTS concerted_groups (
  trajectory_id  VARCHAR NOT NULL,
  group_id       INTEGER NOT NULL,
  element        VARCHAR,
  n_bodies       INTEGER NOT NULL,
  start_frame    INTEGER,
  end_frame      INTEGER,
  atoms          INTEGER[],
  n_hops         INTEGER
);

CREATE TABLE IF NOT EXISTS correlations (
  trajectory_id  VARCHAR NOT NULL,
  element        VARCHAR NOT NULL,
  n_bodies       INTEGER NOT NULL,
  count          INTEGER NOT NULL,
  fraction       DOUBLE,
  method         VARCHAR DEFAULT 'calibrated',
  counted        VARCHAR DEFAULT 'hops',
  expected       DOUBLE,
  expected_sd    DOUBLE,
  excess         DOUBLE,
  excess_err     DOUBLE
);

CREATE TABLE IF NOT EXISTS correlation_fits (
  trajectory_id    VARCHAR NOT NULL,
  element          VARCHAR NOT NULL,
  "offset"         DOUBLE,
  offset_err       DOUBLE,
  amplitude        DOUBLE,
  amplitude_err    DOUBLE,
  decay_rate       DOUBLE,
  decay_rate_err   DOUBLE,
  r2               DOUBLE,
  n_points         INTEGER,
  method           VARCHAR DEFAULT 'calibrated',
  chi2_reduced     DOUBLE,
  dof              INTEGER,
  p_value          DOUBLE,
  n_groups_excess  DOUBLE,
  verdict          VARCHAR
);

CREATE TABLE IF NOT EXISTS diffusion (
  trajectory_id             VARCHAR NOT NULL,
  element                   VARCHAR NOT NULL,
  n_ions                    INTEGER,
  d_tracer_cm2_s            DOUBLE,
  d_tracer_err              DOUBLE,
  d_collective_cm2_s        DOUBLE,
  d_collective_err          DOUBLE,
  haven_ratio               DOUBLE,
  conductivity_s_cm         DOUBLE,
  conductivity_err_s_cm     DOUBLE,
  fit_start_ps              DOUBLE,
  fit_end_ps                DOUBLE,
  d_hops_cm2_s              DOUBLE,
  msd_times_ps              DOUBLE[],
  msd_a2                    DOUBLE[],
  haven_ratio_err           DOUBLE,
  conductivity_ne_s_cm      DOUBLE,
  conductivity_ne_err_s_cm  DOUBLE,
  d_tracer_x_cm2_s          DOUBLE,
  d_tracer_y_cm2_s          DOUBLE,
  d_tracer_z_cm2_s          DOUBLE,
  d_tracer_tensor_cm2_s     DOUBLE[],
  d_tracer_principal_cm2_s  DOUBLE[],
  d_tracer_axes             DOUBLE[],
  anisotropy_ratio          DOUBLE,
  fractional_anisotropy     DOUBLE,
  d_collective_x_cm2_s      DOUBLE,
  d_collective_y_cm2_s      DOUBLE,
  d_collective_z_cm2_s      DOUBLE,
  d_tracer_fit_cm2_s        DOUBLE,
  d_collective_fit_cm2_s    DOUBLE,
  fit_method                VARCHAR,
  flags                     VARCHAR[],
  d_tracer_x_err            DOUBLE,
  d_tracer_y_err            DOUBLE,
  d_tracer_z_err            DOUBLE,
  d_tracer_principal_err    DOUBLE[]
);

CREATE TABLE IF NOT EXISTS element_descriptors (
  trajectory_id                  VARCHAR NOT NULL,
  element                        VARCHAR NOT NULL,
  n_ions                         INTEGER,
  n_events                       INTEGER,
  time_to_first_hop_ps_mean      DOUBLE,
  event_duration_ps_mean         DOUBLE,
  hop_length_a_mean              DOUBLE,
  hop_rate_per_ion_ps            DOUBLE,
  residence_ps_mean              DOUBLE,
  concerted_fraction             DOUBLE,
  n_bodies_mean                  DOUBLE,
  decay_rate                     DOUBLE,
  back_hop_fraction              DOUBLE,
  concerted_fraction_expected    DOUBLE,
  concerted_fraction_excess      DOUBLE,
  concerted_fraction_excess_err  DOUBLE,
  concerted_p_value              DOUBLE,
  n_bodies_mean_expected         DOUBLE,
  n_bodies_mean_excess           DOUBLE,
  n_bodies_mean_excess_err       DOUBLE,
  iondiff_concerted_fraction     DOUBLE,
  iondiff_n_bodies_mean          DOUBLE,
  correlation_law                VARCHAR,
  haven_ratio_groups             DOUBLE,
  haven_ratio_groups_err         DOUBLE,
  sites_per_ion                  DOUBLE,
  site_type_count                INTEGER,
  network_dimensionality         INTEGER,
  bottleneck_from_site           INTEGER,
  bottleneck_to_site             INTEGER,
  return_fraction                DOUBLE,
  jump_length_a_mean             DOUBLE,
  cage_count                     INTEGER,
  complete_cage_count            INTEGER,
  doublet_jump_fraction          DOUBLE,
  intra_cage_jump_fraction       DOUBLE,
  inter_cage_jump_fraction       DOUBLE
);

CREATE TABLE IF NOT EXISTS sites (
  trajectory_id      VARCHAR NOT NULL,
  element            VARCHAR NOT NULL,
  site_id            INTEGER NOT NULL,
  site_type          INTEGER,
  frac_x             DOUBLE,
  frac_y             DOUBLE,
  frac_z             DOUBLE,
  x_a                DOUBLE,
  y_a                DOUBLE,
  z_a                DOUBLE,
  cov_xx_a2          DOUBLE,
  cov_yy_a2          DOUBLE,
  cov_zz_a2          DOUBLE,
  cov_xy_a2          DOUBLE,
  cov_xz_a2          DOUBLE,
  cov_yz_a2          DOUBLE,
  occupancy          DOUBLE,
  residence_ps_mean  DOUBLE,
  env_type           INTEGER,
  cage_id            INTEGER,
  centre_err_a       DOUBLE
);

CREATE TABLE IF NOT EXISTS site_jumps (
  trajectory_id    VARCHAR NOT NULL,
  element          VARCHAR NOT NULL,
  from_site        INTEGER NOT NULL,
  to_site          INTEGER NOT NULL,
  count            INTEGER,
  rate_per_ps      DOUBLE,
  transit_ps_mean  DOUBLE,
  return_fraction  DOUBLE,
  length_a         DOUBLE,
  jump_class       VARCHAR
);

CREATE TABLE IF NOT EXISTS arrhenius (
  material                    VARCHAR NOT NULL,
  element                     VARCHAR NOT NULL,
  formula                     VARCHAR,
  n_temperatures              INTEGER NOT NULL,
  n_trajectories              INTEGER NOT NULL,
  t_min_k                     DOUBLE,
  t_max_k                     DOUBLE,
  ea_ev                       DOUBLE,
  ea_err_ev                   DOUBLE,
  d0_cm2_s                    DOUBLE,
  r2                          DOUBLE,
  d_300k_cm2_s                DOUBLE,
  d_300k_err_cm2_s            DOUBLE,
  conductivity_300k_s_cm      DOUBLE,
  method                      VARCHAR,
  ea_ci95_low_ev              DOUBLE,
  ea_ci95_high_ev             DOUBLE,
  d0_err_cm2_s                DOUBLE,
  d_300k_ci68_low_cm2_s       DOUBLE,
  d_300k_ci68_high_cm2_s      DOUBLE,
  d_300k_ci95_low_cm2_s       DOUBLE,
  d_300k_ci95_high_cm2_s      DOUBLE,
  conductivity_300k_err_s_cm  DOUBLE,
  extrapolation_ratio         DOUBLE,
  curvature_p                 DOUBLE,
  vtf_t0_k                    DOUBLE,
  vtf_delta_aic               DOUBLE,
  warnings                    VARCHAR[]
);

CREATE TABLE IF NOT EXISTS failures (
  trajectory_id  VARCHAR,
  path           VARCHAR NOT NULL,
  stage          VARCHAR NOT NULL,
  message        VARCHAR NOT NULL,
  "at"           TIMESTAMP NOT NULL
);

CREATE OR REPLACE VIEW descriptors AS
SELECT
  t.trajectory_id,
  coalesce(t.material, t.formula, t.name) AS material,
  t.formula,
  t.temperature_k,
  t.method,
  d.element,
  d.n_ions,
  t.duration_ps,
  t.volume_a3,
  t.volume_a3 / NULLIF(d.n_ions, 0) AS volume_per_ion_a3,
  e.n_events,
  e.hop_rate_per_ion_ps,
  e.time_to_first_hop_ps_mean,
  e.event_duration_ps_mean,
  e.hop_length_a_mean,
  e.residence_ps_mean,
  e.concerted_fraction,
  e.n_bodies_mean,
  e.concerted_fraction_excess,
  e.iondiff_n_bodies_mean,
  e.back_hop_fraction,
  e.decay_rate,
  f.amplitude AS correlation_amplitude,
  f.chi2_reduced AS correlation_fit_chi2_reduced,
  e.correlation_law,
  e.sites_per_ion,
  e.network_dimensionality,
  e.return_fraction,
  e.jump_length_a_mean,
  e.inter_cage_jump_fraction,
  d.d_tracer_cm2_s,
  d.d_tracer_err,
  d.d_collective_cm2_s,
  d.d_collective_err,
  d.d_hops_cm2_s,
  d.haven_ratio,
  d.haven_ratio_err,
  e.haven_ratio_groups,
  d.conductivity_s_cm,
  d.conductivity_err_s_cm,
  d.conductivity_ne_s_cm,
  d.conductivity_ne_err_s_cm,
  d.fractional_anisotropy,
  d.anisotropy_ratio,
  d.flags AS diffusion_flags,
  CASE WHEN d.d_tracer_cm2_s > 0 THEN log10(d.d_tracer_cm2_s) END AS log10_d_tracer,
  a.ea_ev,
  a.d_300k_cm2_s,
  a.ea_err_ev
FROM trajectories t
JOIN diffusion d USING (trajectory_id)
LEFT JOIN element_descriptors e ON e.trajectory_id = d.trajectory_id AND e.element = d.element
LEFT JOIN correlation_fits f ON f.trajectory_id = d.trajectory_id AND f.element = d.element AND f.method = 'calibrated'
LEFT JOIN arrhenius a ON a.material = coalesce(t.material, t.formula, t.name) AND a.element = d.element;

CREATE OR REPLACE VIEW diffusion_pooled AS
SELECT
  p.material,
  p.temperature_k,
  p.element,
  CAST(p.n_runs AS INTEGER) AS n_runs,
  CAST(p.n_ions_total AS INTEGER) AS n_ions_total,
  p.trajectory_ids,
  CASE WHEN p.tr > 2 * p.tr_err THEN p.tr END AS d_tracer_cm2_s,
  p.tr_err AS d_tracer_err,
  CASE WHEN p.co > 2 * p.co_err THEN p.co END AS d_collective_cm2_s,
  p.co_err AS d_collective_err,
  CASE WHEN p.tr > 2 * p.tr_err AND p.co > 2 * p.co_err THEN p.tr / p.co END AS haven_ratio,
  CASE WHEN p.tr > 2 * p.tr_err AND p.co > 2 * p.co_err THEN p.tr / p.co * sqrt((p.tr_err / p.tr) ^ 2 + (p.co_err / p.co) ^ 2) END AS haven_ratio_err,
  CASE WHEN p.tr > 2 * p.tr_err THEN p.tr * p.s_per_d END AS conductivity_ne_s_cm,
  CASE WHEN p.tr > 2 * p.tr_err THEN p.tr_err * p.s_per_d END AS conductivity_ne_err_s_cm,
  CASE WHEN p.co > 2 * p.co_err THEN p.co * p.s_per_d END AS conductivity_s_cm,
  CASE WHEN p.co > 2 * p.co_err THEN p.co_err * p.s_per_d END AS conductivity_err_s_cm
FROM (
  SELECT r.material, r.temperature_k, r.element,
         count(*) AS n_runs, sum(r.n_ions) AS n_ions_total, list(r.trajectory_id ORDER BY r.trajectory_id) AS trajectory_ids,
         avg(r.d_tracer_fit_cm2_s) AS tr, sqrt(sum(r.d_tracer_err * r.d_tracer_err)) / count(*) AS tr_err,
         avg(r.d_collective_fit_cm2_s) AS co, sqrt(sum(r.d_collective_err * r.d_collective_err)) / count(*) AS co_err,
         median(r.conductivity_ne_s_cm / r.d_tracer_cm2_s) AS s_per_d
  FROM (
    -- The same bytes indexed twice (a copy in another folder) are one run, not two replicates.
    SELECT DISTINCT ON (t.content_hash, d.element) coalesce(t.material, t.formula, t.name) AS material, t.temperature_k, d.element, t.trajectory_id, d.n_ions,
           d.d_tracer_fit_cm2_s, d.d_tracer_err, d.d_collective_fit_cm2_s, d.d_collective_err, d.conductivity_ne_s_cm, d.d_tracer_cm2_s
    FROM diffusion d JOIN trajectories t USING (trajectory_id)
    WHERE d.d_tracer_err IS NOT NULL AND d.d_collective_err IS NOT NULL
    ORDER BY t.content_hash, d.element, t.trajectory_id
  ) r
  GROUP BY r.material, r.temperature_k, r.element
) p;

COMMENT ON TABLE schema_version IS 'Schema version of this database (migrations in src/store/db.ts)';
COMMENT ON COLUMN schema_version.version IS 'Schema version number';
COMMENT ON COLUMN schema_version.applied_at IS 'When this version was applied';
COMMENT ON TABLE trajectories IS 'One row per indexed trajectory (one or several source files of one MD run)';
COMMENT ON COLUMN trajectories.trajectory_id IS 'Stable id: hash of the absolute source paths, so re-indexing replaces rows';
COMMENT ON COLUMN trajectories.name IS 'Trajectory name (sidecar entry name or file/folder name)';
COMMENT ON COLUMN trajectories.path IS 'First source file (absolute)';
COMMENT ON COLUMN trajectories.paths IS 'All source files in order (absolute)';
COMMENT ON COLUMN trajectories.content_hash IS 'SHA-256 over the raw bytes of the source files (and sidecar) in order';
COMMENT ON COLUMN trajectories.files_signature IS 'Size and mtime of each source file: cheap pre-check before hashing';
COMMENT ON COLUMN trajectories.format IS 'Reader format (io/registry.ts: xdatcar, vasprun, extxyz, lammps-dump, xtc, trr, outcar, cp2k-pos, ase-traj)';
COMMENT ON COLUMN trajectories.material IS 'Material name (sidecar or folder name)';
COMMENT ON COLUMN trajectories.formula IS 'Reduced chemical formula';
COMMENT ON COLUMN trajectories.temperature_k IS 'MD temperature (K)';
COMMENT ON COLUMN trajectories.timestep_fs IS 'MD time step POTIM (fs)';
COMMENT ON COLUMN trajectories.frame_interval_fs IS 'Time between written frames (fs)';
COMMENT ON COLUMN trajectories.n_frames IS 'Number of frames';
COMMENT ON COLUMN trajectories.n_atoms IS 'Number of atoms';
COMMENT ON COLUMN trajectories.duration_ps IS 'Simulated time covered by the frames (ps)';
COMMENT ON COLUMN trajectories.volume_a3 IS 'Cell volume (Å³), mean over frames for a variable cell';
COMMENT ON COLUMN trajectories.variable_cell IS 'True when the cell changes between frames (NPT)';
COMMENT ON COLUMN trajectories.n_discontinuities IS 'Jumps between consecutive frames flagged by the reader';
COMMENT ON COLUMN trajectories.method IS 'Hop detector (default or iondiff)';
COMMENT ON COLUMN trajectories.mobile IS 'Analysed mobile species';
COMMENT ON COLUMN trajectories.params_hash IS 'Hash of the index options that determine the analysis (skip key with content_hash)';
COMMENT ON COLUMN trajectories.analysis_params_hash IS 'paramsHash reported by analyze()';
COMMENT ON COLUMN trajectories.params_json IS 'Resolved analysis parameters (JSON)';
COMMENT ON COLUMN trajectories.metadata_sources_json IS 'Where each metadata value came from (JSON)';
COMMENT ON COLUMN trajectories.warnings IS 'Non-fatal reader/analysis warnings';
COMMENT ON COLUMN trajectories.analysis_ms IS 'Wall time of load + analysis (ms)';
COMMENT ON COLUMN trajectories.indexed_at IS 'When these rows were written (UTC)';
COMMENT ON TABLE species IS 'One row per element in a trajectory';
COMMENT ON COLUMN species.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN species.element IS 'Element symbol';
COMMENT ON COLUMN species.count IS 'Number of atoms of this element';
COMMENT ON COLUMN species.charge IS 'Formal charge (e), when given';
COMMENT ON COLUMN species.mobile IS 'True when analysed as a mobile species';
COMMENT ON TABLE events IS 'One row per detected hop event';
COMMENT ON COLUMN events.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN events.event_id IS '0-based id within the trajectory, ordered by (atom, start_frame)';
COMMENT ON COLUMN events.atom IS 'Atom index in file order (0-based, all species)';
COMMENT ON COLUMN events.element IS 'Element of the hopping ion';
COMMENT ON COLUMN events.start_frame IS 'First frame of the transit (0-based, inclusive)';
COMMENT ON COLUMN events.end_frame IS 'Last frame of the transit (inclusive)';
COMMENT ON COLUMN events.start_ps IS 'Start time (ps)';
COMMENT ON COLUMN events.duration_ps IS 'Transit duration (ps)';
COMMENT ON COLUMN events.length_a IS 'Distance between the unwrapped centres left and reached, |to − from| (Å)';
COMMENT ON COLUMN events.from_x_a IS 'Centre left, unwrapped Cartesian x (Å)';
COMMENT ON COLUMN events.from_y_a IS 'Centre left, unwrapped Cartesian y (Å)';
COMMENT ON COLUMN events.from_z_a IS 'Centre left, unwrapped Cartesian z (Å)';
COMMENT ON COLUMN events.to_x_a IS 'Centre reached, unwrapped Cartesian x (Å)';
COMMENT ON COLUMN events.to_y_a IS 'Centre reached, unwrapped Cartesian y (Å)';
COMMENT ON COLUMN events.to_z_a IS 'Centre reached, unwrapped Cartesian z (Å)';
COMMENT ON COLUMN events.group_id IS 'Concerted group id (concerted_groups.group_id), NULL when uncorrelated';
COMMENT ON COLUMN events.n_bodies IS 'Number of correlated events including this one';
COMMENT ON COLUMN events.back_hop IS 'True when the ion returns to the centre it left in its previous hop';
COMMENT ON COLUMN events.from_site IS 'Site left (sites.site_id), NULL when the site map could not assign it';
COMMENT ON COLUMN events.to_site IS 'Site reached (sites.site_id), NULL when the site map could not assign it';
COMMENT ON TABLE atoms IS 'One row per analysed (mobile) ion';
COMMENT ON COLUMN atoms.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN atoms.atom IS 'Atom index in file order (0-based, all species)';
COMMENT ON COLUMN atoms.element IS 'Element symbol';
COMMENT ON COLUMN atoms.n_events IS 'Number of hops of this ion';
COMMENT ON COLUMN atoms.n_centres IS 'Number of vibration centres found';
COMMENT ON COLUMN atoms.residence_ps_mean IS 'Mean residence time at a centre between hops (ps); NULL when it never hopped';
COMMENT ON COLUMN atoms.msd_final_a2 IS 'Squared displacement between the first and last frame (Å²); across a discontinuity the displacements of the continuous segments are added';
COMMENT ON TABLE concerted_groups IS 'One row per set of ions hopping together: components of hop pairs in (relation, lag) bins the null model of independent hops does not explain (analysis/manybody)';
COMMENT ON COLUMN concerted_groups.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN concerted_groups.group_id IS 'Group id within the trajectory (events.group_id)';
COMMENT ON COLUMN concerted_groups.element IS 'Element of the ions in the group';
COMMENT ON COLUMN concerted_groups.n_bodies IS 'Number of distinct ions (atoms) in the group';
COMMENT ON COLUMN concerted_groups.start_frame IS 'First frame of the group (0-based)';
COMMENT ON COLUMN concerted_groups.end_frame IS 'Last frame of the group';
COMMENT ON COLUMN concerted_groups.atoms IS 'Atom indices of the ions in the group';
COMMENT ON COLUMN concerted_groups.n_hops IS 'Number of hops in the group';
COMMENT ON TABLE correlations IS 'n-body distributions per (trajectory, element, method, counted, n_bodies): the calibrated groups (observed, expected under independent hops, excess) and IonDiff''s time-only per-hop count';
COMMENT ON COLUMN correlations.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN correlations.element IS 'Mobile element';
COMMENT ON COLUMN correlations.n_bodies IS 'Number of correlated bodies (ions)';
COMMENT ON COLUMN correlations.count IS 'Observed number of hops (or groups) with this n_bodies';
COMMENT ON COLUMN correlations.fraction IS 'count / total of the distribution';
COMMENT ON COLUMN correlations.method IS 'calibrated (null-model groups, analysis/manybody) or iondiff (time-only count, reference threshold = mean random correlation)';
COMMENT ON COLUMN correlations.counted IS 'hops: hops whose group has n_bodies ions; groups: groups of n_bodies ions (n_bodies = 1: hops in no group)';
COMMENT ON COLUMN correlations.expected IS 'Mean count under independent hops (circularly shifted null); NULL for iondiff';
COMMENT ON COLUMN correlations.expected_sd IS 'Spread (SD) of the count under independent hops; NULL for iondiff';
COMMENT ON COLUMN correlations.excess IS 'count − expected; NULL for iondiff';
COMMENT ON COLUMN correlations.excess_err IS 'Standard error of excess; NULL for iondiff';
COMMENT ON TABLE correlation_fits IS 'Exponential law of the n-body distribution per (trajectory, element, method): calibrated = weighted fit amplitude·exp(−decay_rate·(n−2)) of the excess group sizes, tested (chi2, p, verdict); iondiff = the unweighted fit offset + amplitude·exp(−decay_rate·n) of IonDiff''s per-hop distribution, untested';
COMMENT ON COLUMN correlation_fits.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN correlation_fits.element IS 'Mobile element';
COMMENT ON COLUMN correlation_fits."offset" IS 'Offset of the fit (0 for calibrated)';
COMMENT ON COLUMN correlation_fits.offset_err IS 'Standard error of offset';
COMMENT ON COLUMN correlation_fits.amplitude IS 'Amplitude of the fit (calibrated: excess groups of 2 ions)';
COMMENT ON COLUMN correlation_fits.amplitude_err IS 'Standard error of amplitude';
COMMENT ON COLUMN correlation_fits.decay_rate IS 'Decay rate per body';
COMMENT ON COLUMN correlation_fits.decay_rate_err IS 'Standard error of decay_rate';
COMMENT ON COLUMN correlation_fits.r2 IS 'Coefficient of determination (iondiff only)';
COMMENT ON COLUMN correlation_fits.n_points IS 'Number of n-body bins fitted';
COMMENT ON COLUMN correlation_fits.method IS 'calibrated or iondiff (see correlations.method)';
COMMENT ON COLUMN correlation_fits.chi2_reduced IS 'χ²/dof of the weighted fit (calibrated only)';
COMMENT ON COLUMN correlation_fits.dof IS 'Degrees of freedom of the χ² (calibrated only)';
COMMENT ON COLUMN correlation_fits.p_value IS 'P(χ² ≥ observed) under the exponential law (calibrated only)';
COMMENT ON COLUMN correlation_fits.n_groups_excess IS 'Excess groups of ≥ 2 ions the calibrated fit saw';
COMMENT ON COLUMN correlation_fits.verdict IS 'exponential (p ≥ 0.01 and decay_rate > 2σ), not exponential, or too few groups (< 10 excess groups or < 3 sizes); NULL for iondiff';
COMMENT ON TABLE diffusion IS 'Diffusion coefficients and conductivity per (trajectory, element); NULL where the run does not resolve a value (see flags)';
COMMENT ON COLUMN diffusion.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN diffusion.element IS 'Mobile element';
COMMENT ON COLUMN diffusion.n_ions IS 'Number of ions of the element';
COMMENT ON COLUMN diffusion.d_tracer_cm2_s IS 'Tracer diffusion coefficient (cm²/s); NULL unless above 2 d_tracer_err';
COMMENT ON COLUMN diffusion.d_tracer_err IS 'Standard error of the tracer D (cm²/s): larger of the ion bootstrap and the spatial-block error, plus the covariance of concerted hop events, at least the shot noise of the hop events, widened by Student-t for few events';
COMMENT ON COLUMN diffusion.d_collective_cm2_s IS 'Collective (charge) diffusion coefficient N·MSD_centre-of-mass slope/6 (cm²/s); NULL unless above 2 d_collective_err';
COMMENT ON COLUMN diffusion.d_collective_err IS 'Standard error of the collective D (cm²/s): moving-block bootstrap of the centre of mass in time';
COMMENT ON COLUMN diffusion.haven_ratio IS 'Haven ratio d_tracer / d_collective; NULL unless both are resolved';
COMMENT ON COLUMN diffusion.conductivity_s_cm IS 'Charge conductivity at the MD temperature from the COLLECTIVE D, N·(z·e)²·D_collective/(V·kB·T) (S/cm); NULL unless d_collective is resolved';
COMMENT ON COLUMN diffusion.conductivity_err_s_cm IS 'Standard error of conductivity_s_cm (S/cm)';
COMMENT ON COLUMN diffusion.fit_start_ps IS 'Start of the MSD fit window (ps)';
COMMENT ON COLUMN diffusion.fit_end_ps IS 'End of the MSD fit window (ps)';
COMMENT ON COLUMN diffusion.d_hops_cm2_s IS 'Tracer D implied by the detected hops, Σ|hop|²/(6·N·t) (cm²/s)';
COMMENT ON COLUMN diffusion.msd_times_ps IS 'Lag times of the stored MSD curve (ps)';
COMMENT ON COLUMN diffusion.msd_a2 IS 'Time-origin-averaged tracer MSD at msd_times_ps (Å²)';
COMMENT ON COLUMN diffusion.haven_ratio_err IS 'Standard error of haven_ratio (relative errors of both D in quadrature)';
COMMENT ON COLUMN diffusion.conductivity_ne_s_cm IS 'Nernst–Einstein conductivity from the TRACER D, N·(z·e)²·D_tracer/(V·kB·T) (S/cm), uncorrelated ions (pymatgen''s "conductivity"); NULL unless d_tracer is resolved';
COMMENT ON COLUMN diffusion.conductivity_ne_err_s_cm IS 'Standard error of conductivity_ne_s_cm (S/cm)';
COMMENT ON COLUMN diffusion.d_tracer_x_cm2_s IS 'Tracer D along x, the xx tensor component (cm²/s); NULL unless d_tracer is resolved and it is positive';
COMMENT ON COLUMN diffusion.d_tracer_y_cm2_s IS 'Tracer D along y (cm²/s)';
COMMENT ON COLUMN diffusion.d_tracer_z_cm2_s IS 'Tracer D along z (cm²/s)';
COMMENT ON COLUMN diffusion.d_tracer_tensor_cm2_s IS 'Tracer D tensor components xx, yy, zz, xy, xz, yz (cm²/s); NULL unless d_tracer is resolved';
COMMENT ON COLUMN diffusion.d_tracer_principal_cm2_s IS 'Principal values of the tracer D tensor, descending (cm²/s); NULL unless d_tracer is resolved, an entry NULL when not positive (noise about zero)';
COMMENT ON COLUMN diffusion.d_tracer_axes IS 'Unit principal axes (Cartesian), 3 per principal value in its order: [a1x, a1y, a1z, a2x, …]';
COMMENT ON COLUMN diffusion.anisotropy_ratio IS 'Largest / smallest principal tracer D; NULL unless d_tracer is resolved and the smallest is positive';
COMMENT ON COLUMN diffusion.fractional_anisotropy IS 'Fractional anisotropy of the tracer D tensor, √(3/2)·|λ − mean λ|/|λ|: 0 isotropic, 1 one-dimensional';
COMMENT ON COLUMN diffusion.d_collective_x_cm2_s IS 'Collective D along x (cm²/s); NULL unless d_collective is resolved and it is positive';
COMMENT ON COLUMN diffusion.d_collective_y_cm2_s IS 'Collective D along y (cm²/s)';
COMMENT ON COLUMN diffusion.d_collective_z_cm2_s IS 'Collective D along z (cm²/s)';
COMMENT ON COLUMN diffusion.d_tracer_fit_cm2_s IS 'The fitted tracer D even when not resolved (may be ≤ 0): input of diffusion_pooled only, not a result; use d_tracer_cm2_s';
COMMENT ON COLUMN diffusion.d_collective_fit_cm2_s IS 'The fitted collective D even when not resolved (may be ≤ 0): input of diffusion_pooled only, not a result; use d_collective_cm2_s';
COMMENT ON COLUMN diffusion.fit_method IS 'MSD slope estimator: ols (ordinary least squares) or gls (generalised, model covariance)';
COMMENT ON COLUMN diffusion.flags IS 'Why a value is NULL: not resolved (fitted value ± error), no volume or temperature';
COMMENT ON COLUMN diffusion.d_tracer_x_err IS 'Standard error of d_tracer_x_cm2_s (cm²/s): the d_tracer_err model applied to each ion''s D along x';
COMMENT ON COLUMN diffusion.d_tracer_y_err IS 'Standard error of d_tracer_y_cm2_s (cm²/s)';
COMMENT ON COLUMN diffusion.d_tracer_z_err IS 'Standard error of d_tracer_z_cm2_s (cm²/s)';
COMMENT ON COLUMN diffusion.d_tracer_principal_err IS 'Standard errors of d_tracer_principal_cm2_s, same order (cm²/s): first order, each ion''s D along the principal axis; near-degenerate principal values are ordered noise, their spread is smaller than this';
COMMENT ON TABLE element_descriptors IS 'Hop descriptors per (trajectory, element), as computed by analyze()';
COMMENT ON COLUMN element_descriptors.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN element_descriptors.element IS 'Mobile element';
COMMENT ON COLUMN element_descriptors.n_ions IS 'Number of ions of the element';
COMMENT ON COLUMN element_descriptors.n_events IS 'Number of hop events of the element';
COMMENT ON COLUMN element_descriptors.time_to_first_hop_ps_mean IS 'Mean time before an ion''s first hop (ps)';
COMMENT ON COLUMN element_descriptors.event_duration_ps_mean IS 'Mean transit duration (ps)';
COMMENT ON COLUMN element_descriptors.hop_length_a_mean IS 'Mean hop length (Å)';
COMMENT ON COLUMN element_descriptors.hop_rate_per_ion_ps IS 'Hops per ion per ps of observed time (discontinuous steps are no time)';
COMMENT ON COLUMN element_descriptors.residence_ps_mean IS 'Mean residence time between hops (ps)';
COMMENT ON COLUMN element_descriptors.concerted_fraction IS 'Fraction of events in concerted groups (null-model calibrated, analysis/manybody)';
COMMENT ON COLUMN element_descriptors.n_bodies_mean IS 'Mean number of ions in an event''s concerted group (1 when in none), calibrated';
COMMENT ON COLUMN element_descriptors.decay_rate IS 'Decay rate of the calibrated group-size law; NULL unless correlation_law is exponential';
COMMENT ON COLUMN element_descriptors.back_hop_fraction IS 'Fraction of hops returning to the previous centre';
COMMENT ON COLUMN element_descriptors.concerted_fraction_expected IS 'concerted_fraction expected from independent hops (shifted null, same groups rule)';
COMMENT ON COLUMN element_descriptors.concerted_fraction_excess IS 'concerted_fraction − concerted_fraction_expected';
COMMENT ON COLUMN element_descriptors.concerted_fraction_excess_err IS 'Standard error of concerted_fraction_excess';
COMMENT ON COLUMN element_descriptors.concerted_p_value IS 'One-sided p-value of concerted_fraction_excess > 0';
COMMENT ON COLUMN element_descriptors.n_bodies_mean_expected IS 'n_bodies_mean expected from independent hops';
COMMENT ON COLUMN element_descriptors.n_bodies_mean_excess IS '1 + n_bodies_mean − n_bodies_mean_expected (1: no correlation beyond chance)';
COMMENT ON COLUMN element_descriptors.n_bodies_mean_excess_err IS 'Standard error of n_bodies_mean_excess';
COMMENT ON COLUMN element_descriptors.iondiff_concerted_fraction IS 'IonDiff''s time-only fraction of events with ≥ 2 bodies (threshold = mean random correlation, not a significance level)';
COMMENT ON COLUMN element_descriptors.iondiff_n_bodies_mean IS 'IonDiff''s time-only mean number of correlated bodies per event';
COMMENT ON COLUMN element_descriptors.correlation_law IS 'Verdict on the exponential n-body law (correlation_fits.verdict, calibrated)';
COMMENT ON COLUMN element_descriptors.haven_ratio_groups IS 'Haven ratio implied by the concerted groups: Σ|hop|² / Σ_groups |Σ hops of the group|² (compare diffusion.haven_ratio)';
COMMENT ON COLUMN element_descriptors.haven_ratio_groups_err IS 'Standard error of haven_ratio_groups (groups as independent units)';
COMMENT ON COLUMN element_descriptors.sites_per_ion IS 'Sites in the site map per ion of the element';
COMMENT ON COLUMN element_descriptors.site_type_count IS 'Number of site types';
COMMENT ON COLUMN element_descriptors.network_dimensionality IS 'Directions the jump network percolates through periodic images (0–3); NULL without jumps';
COMMENT ON COLUMN element_descriptors.bottleneck_from_site IS 'Bottleneck pair (the least-used site pair the dimensionality needs), one site';
COMMENT ON COLUMN element_descriptors.bottleneck_to_site IS 'Bottleneck pair, the other site';
COMMENT ON COLUMN element_descriptors.return_fraction IS 'Fraction of site jumps the same ion undid by its next jump';
COMMENT ON COLUMN element_descriptors.jump_length_a_mean IS 'Mean site-to-site jump length (Å)';
COMMENT ON COLUMN element_descriptors.cage_count IS 'Cages: free framework atoms (nearer to a site than to any framework atom) that are the nearest free atom of some site (argyrodites: the Li cages around 4d); NULL when the framework has no such atom, has nothing else (a plain anion lattice), or the file holds only the mobile species';
COMMENT ON COLUMN element_descriptors.complete_cage_count IS 'Cages whose sites surround their centre (it lies inside their convex hull); the others are partial';
COMMENT ON COLUMN element_descriptors.doublet_jump_fraction IS 'Share of the site jumps between the two sites of a doublet (site_jumps.jump_class); NULL without cages or jumps';
COMMENT ON COLUMN element_descriptors.intra_cage_jump_fraction IS 'Share of the site jumps within one cage, doublets aside; NULL without cages or jumps';
COMMENT ON COLUMN element_descriptors.inter_cage_jump_fraction IS 'Share of the site jumps between cages (or a cage and its own periodic image); NULL without cages or jumps';
COMMENT ON TABLE sites IS 'Site map learned from the data: one row per site of a mobile species (periodic Gaussian mixture of its positions in the framework frame)';
COMMENT ON COLUMN sites.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN sites.element IS 'Mobile element';
COMMENT ON COLUMN sites.site_id IS 'Site id within (trajectory, element), sites sorted by fractional x, y, z';
COMMENT ON COLUMN sites.site_type IS 'Type id: env_type when the file holds framework atoms, else sites whose nearest-site distances agree within their centres'' errors (χ² test; number of types set by the data)';
COMMENT ON COLUMN sites.frac_x IS 'Centre, fractional a coordinate in [0, 1)';
COMMENT ON COLUMN sites.frac_y IS 'Centre, fractional b coordinate in [0, 1)';
COMMENT ON COLUMN sites.frac_z IS 'Centre, fractional c coordinate in [0, 1)';
COMMENT ON COLUMN sites.x_a IS 'Centre, Cartesian x in the cell (Å)';
COMMENT ON COLUMN sites.y_a IS 'Centre, Cartesian y in the cell (Å)';
COMMENT ON COLUMN sites.z_a IS 'Centre, Cartesian z in the cell (Å)';
COMMENT ON COLUMN sites.cov_xx_a2 IS 'Vibration covariance xx (Å²)';
COMMENT ON COLUMN sites.cov_yy_a2 IS 'Vibration covariance yy (Å²)';
COMMENT ON COLUMN sites.cov_zz_a2 IS 'Vibration covariance zz (Å²)';
COMMENT ON COLUMN sites.cov_xy_a2 IS 'Vibration covariance xy (Å²)';
COMMENT ON COLUMN sites.cov_xz_a2 IS 'Vibration covariance xz (Å²)';
COMMENT ON COLUMN sites.cov_yz_a2 IS 'Vibration covariance yz (Å²)';
COMMENT ON COLUMN sites.occupancy IS 'Mean number of ions at the site: ion-frames most likely at it / frames';
COMMENT ON COLUMN sites.residence_ps_mean IS 'Mean stay from arrival to departure (ps); NULL when no whole stay was seen';
COMMENT ON COLUMN sites.env_type IS 'Type id from the framework environment: sites whose sorted distances to the nearest 4 time-averaged framework atoms of each element agree within the centre error and the framework atoms'' thermal spread (χ² test; number of types set by the data); NULL when the file holds only the mobile species';
COMMENT ON COLUMN sites.cage_id IS 'Cage of the site: its nearest free framework atom, numbered within (trajectory, element) (site_jumps.jump_class); NULL without cages';
COMMENT ON COLUMN sites.centre_err_a IS 'Standard error of the centre per axis, √(tr C/3) (Å): from the core frames of every stay, each stay weighted by its independent samples (vibration autocorrelation); NULL when no frame reached the site''s core';
COMMENT ON TABLE site_jumps IS 'Site-to-site jumps per ordered pair of sites (sites.site_id) of a mobile species';
COMMENT ON COLUMN site_jumps.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN site_jumps.element IS 'Mobile element';
COMMENT ON COLUMN site_jumps.from_site IS 'Site left (sites.site_id)';
COMMENT ON COLUMN site_jumps.to_site IS 'Site reached (sites.site_id)';
COMMENT ON COLUMN site_jumps.count IS 'Number of jumps from from_site to to_site';
COMMENT ON COLUMN site_jumps.rate_per_ps IS 'Jumps per ps of the run';
COMMENT ON COLUMN site_jumps.transit_ps_mean IS 'Mean transit time (ps): frames between leaving the core of one site and entering the other';
COMMENT ON COLUMN site_jumps.return_fraction IS 'Fraction of these jumps the same ion undid by its next jump';
COMMENT ON COLUMN site_jumps.length_a IS 'Mean distance between the two centres in the images the ions used (Å)';
COMMENT ON COLUMN site_jumps.jump_class IS 'doublet (the two sites each other''s nearest, in one cage), intra_cage or inter_cage, by the cages of sites around lone framework anions (analysis/sites/cages.ts); the class of most jumps of the pair; NULL when the framework has no lone anion (fully bonded), only lone anions (a plain anion lattice), or the file holds only the mobile species';
COMMENT ON TABLE arrhenius IS 'Arrhenius fit ln D = ln D0 − Ea/(kB·T) of the resolved tracer D per (material, element) across temperatures, recomputed after every run';
COMMENT ON COLUMN arrhenius.material IS 'Material (trajectories.material, else formula)';
COMMENT ON COLUMN arrhenius.element IS 'Mobile element';
COMMENT ON COLUMN arrhenius.formula IS 'Reduced formula of the material';
COMMENT ON COLUMN arrhenius.n_temperatures IS 'Number of distinct temperatures';
COMMENT ON COLUMN arrhenius.n_trajectories IS 'Number of trajectories with a resolved tracer D';
COMMENT ON COLUMN arrhenius.t_min_k IS 'Lowest temperature (K)';
COMMENT ON COLUMN arrhenius.t_max_k IS 'Highest temperature (K)';
COMMENT ON COLUMN arrhenius.ea_ev IS 'Activation energy (eV); NULL with fewer than 2 temperatures';
COMMENT ON COLUMN arrhenius.ea_err_ev IS 'Standard error of ea_ev (eV): larger of the propagated D errors and the scatter';
COMMENT ON COLUMN arrhenius.d0_cm2_s IS 'Pre-exponential factor (cm²/s)';
COMMENT ON COLUMN arrhenius.r2 IS 'Coefficient of determination of the fit';
COMMENT ON COLUMN arrhenius.d_300k_cm2_s IS 'Tracer D extrapolated to 300 K (cm²/s)';
COMMENT ON COLUMN arrhenius.d_300k_err_cm2_s IS 'Standard error of d_300k_cm2_s (cm²/s), first order (D·σ_lnD)';
COMMENT ON COLUMN arrhenius.conductivity_300k_s_cm IS 'Nernst–Einstein conductivity at 300 K from d_300k (S/cm): uncorrelated ions, the median σ_NE·T/D of the material';
COMMENT ON COLUMN arrhenius.method IS 'Fit used: weighted (by the D errors) or unweighted ln D vs 1/T, or single temperature (no fit)';
COMMENT ON COLUMN arrhenius.ea_ci95_low_ev IS 'Lower end of the 95 % interval of ea_ev (eV): normal quantile when the D errors set the error, Student t (n−2) when the scatter does';
COMMENT ON COLUMN arrhenius.ea_ci95_high_ev IS 'Upper end of the 95 % interval of ea_ev (eV)';
COMMENT ON COLUMN arrhenius.d0_err_cm2_s IS 'Standard error of d0_cm2_s (cm²/s), first order';
COMMENT ON COLUMN arrhenius.d_300k_ci68_low_cm2_s IS '68 % interval of d_300k_cm2_s, lower end (cm²/s; exp of the ln D interval)';
COMMENT ON COLUMN arrhenius.d_300k_ci68_high_cm2_s IS '68 % interval of d_300k_cm2_s, upper end (cm²/s)';
COMMENT ON COLUMN arrhenius.d_300k_ci95_low_cm2_s IS '95 % interval of d_300k_cm2_s, lower end (cm²/s)';
COMMENT ON COLUMN arrhenius.d_300k_ci95_high_cm2_s IS '95 % interval of d_300k_cm2_s, upper end (cm²/s)';
COMMENT ON COLUMN arrhenius.conductivity_300k_err_s_cm IS 'Standard error of conductivity_300k_s_cm (S/cm)';
COMMENT ON COLUMN arrhenius.extrapolation_ratio IS '1/T distance from t_min_k to 300 K over the fitted 1/T width; > 1: extrapolated beyond the data (warned)';
COMMENT ON COLUMN arrhenius.curvature_p IS 'p-value of the χ² of the Arrhenius line against the D errors (n−2 dof); < 0.05: curved or errors too small';
COMMENT ON COLUMN arrhenius.vtf_t0_k IS 'T0 of a VTF fit ln D = ln A − B/(kB·(T − T0)), with ≥ 4 temperatures (K)';
COMMENT ON COLUMN arrhenius.vtf_delta_aic IS 'AIC(VTF) − AIC(Arrhenius): below −2 VTF fits better (reported, not used)';
COMMENT ON COLUMN arrhenius.warnings IS 'Extrapolation beyond the fitted range, curvature';
COMMENT ON TABLE failures IS 'One row per trajectory that could not be indexed in the latest attempt';
COMMENT ON COLUMN failures.trajectory_id IS 'trajectories.trajectory_id of the failed trajectory, NULL when not known';
COMMENT ON COLUMN failures.path IS 'File that failed (absolute)';
COMMENT ON COLUMN failures.stage IS 'discover, hash, read, analyze or write';
COMMENT ON COLUMN failures.message IS 'Error message naming the file and line/frame';
COMMENT ON COLUMN failures."at" IS 'When it failed (UTC)';
COMMENT ON VIEW descriptors IS 'Every per-(trajectory, element) descriptor beside D and the Arrhenius fit of its material: the table to correlate';
COMMENT ON COLUMN descriptors.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN descriptors.material IS 'Material (trajectories.material, else formula, else name)';
COMMENT ON COLUMN descriptors.formula IS 'Reduced chemical formula';
COMMENT ON COLUMN descriptors.temperature_k IS 'MD temperature (K)';
COMMENT ON COLUMN descriptors.method IS 'Hop detector (default or iondiff)';
COMMENT ON COLUMN descriptors.element IS 'Mobile element';
COMMENT ON COLUMN descriptors.n_ions IS 'Number of ions of the element';
COMMENT ON COLUMN descriptors.duration_ps IS 'Simulated time covered by the frames (ps)';
COMMENT ON COLUMN descriptors.volume_a3 IS 'Cell volume (Å³)';
COMMENT ON COLUMN descriptors.volume_per_ion_a3 IS 'Cell volume per ion of the element (Å³)';
COMMENT ON COLUMN descriptors.n_events IS 'Number of hop events of the element';
COMMENT ON COLUMN descriptors.hop_rate_per_ion_ps IS 'Hops per ion per ps of observed time (discontinuous steps are no time)';
COMMENT ON COLUMN descriptors.time_to_first_hop_ps_mean IS 'Mean time before an ion''s first hop (ps)';
COMMENT ON COLUMN descriptors.event_duration_ps_mean IS 'Mean transit duration (ps)';
COMMENT ON COLUMN descriptors.hop_length_a_mean IS 'Mean hop length (Å)';
COMMENT ON COLUMN descriptors.residence_ps_mean IS 'Mean residence time between hops (ps)';
COMMENT ON COLUMN descriptors.concerted_fraction IS 'Fraction of events in concerted groups (null-model calibrated)';
COMMENT ON COLUMN descriptors.n_bodies_mean IS 'Mean number of ions in an event''s concerted group (null-model calibrated)';
COMMENT ON COLUMN descriptors.concerted_fraction_excess IS 'concerted_fraction beyond what independent hops give';
COMMENT ON COLUMN descriptors.iondiff_n_bodies_mean IS 'IonDiff''s time-only mean number of correlated bodies per event';
COMMENT ON COLUMN descriptors.back_hop_fraction IS 'Fraction of hops returning to the previous centre';
COMMENT ON COLUMN descriptors.decay_rate IS 'Decay rate of the calibrated n-body law (NULL unless it is exponential)';
COMMENT ON COLUMN descriptors.correlation_amplitude IS 'Amplitude of the calibrated n-body law fit (correlation_fits.amplitude)';
COMMENT ON COLUMN descriptors.correlation_fit_chi2_reduced IS 'Reduced χ² of the calibrated n-body law fit (correlation_fits.chi2_reduced)';
COMMENT ON COLUMN descriptors.correlation_law IS 'Verdict on the exponential n-body law (exponential, not exponential, too few groups)';
COMMENT ON COLUMN descriptors.sites_per_ion IS 'Sites in the site map per ion of the element';
COMMENT ON COLUMN descriptors.network_dimensionality IS 'Directions the jump network percolates (0–3)';
COMMENT ON COLUMN descriptors.return_fraction IS 'Fraction of site jumps the same ion undid by its next jump';
COMMENT ON COLUMN descriptors.jump_length_a_mean IS 'Mean site-to-site jump length (Å)';
COMMENT ON COLUMN descriptors.inter_cage_jump_fraction IS 'Share of the site jumps between cages (element_descriptors.inter_cage_jump_fraction; NULL without cages)';
COMMENT ON COLUMN descriptors.d_tracer_cm2_s IS 'Tracer diffusion coefficient (cm²/s)';
COMMENT ON COLUMN descriptors.d_tracer_err IS 'Standard error of d_tracer_cm2_s (cm²/s)';
COMMENT ON COLUMN descriptors.d_collective_cm2_s IS 'Collective (charge) diffusion coefficient (cm²/s)';
COMMENT ON COLUMN descriptors.d_collective_err IS 'Standard error of d_collective_cm2_s (cm²/s)';
COMMENT ON COLUMN descriptors.d_hops_cm2_s IS 'Tracer D implied by the detected hops (cm²/s)';
COMMENT ON COLUMN descriptors.haven_ratio IS 'd_tracer / d_collective; NULL unless both are resolved';
COMMENT ON COLUMN descriptors.haven_ratio_err IS 'Standard error of haven_ratio';
COMMENT ON COLUMN descriptors.haven_ratio_groups IS 'Haven ratio implied by the concerted groups (element_descriptors.haven_ratio_groups)';
COMMENT ON COLUMN descriptors.conductivity_s_cm IS 'Charge conductivity from the collective D at the MD temperature (S/cm); NULL unless resolved';
COMMENT ON COLUMN descriptors.conductivity_err_s_cm IS 'Standard error of conductivity_s_cm (S/cm)';
COMMENT ON COLUMN descriptors.conductivity_ne_s_cm IS 'Nernst–Einstein conductivity from the tracer D at the MD temperature (S/cm)';
COMMENT ON COLUMN descriptors.conductivity_ne_err_s_cm IS 'Standard error of conductivity_ne_s_cm (S/cm)';
COMMENT ON COLUMN descriptors.fractional_anisotropy IS 'Fractional anisotropy of the tracer D tensor (0 isotropic, 1 one-dimensional)';
COMMENT ON COLUMN descriptors.anisotropy_ratio IS 'Largest / smallest principal tracer D';
COMMENT ON COLUMN descriptors.diffusion_flags IS 'Why a diffusion value is NULL (diffusion.flags)';
COMMENT ON COLUMN descriptors.log10_d_tracer IS 'log10 of d_tracer_cm2_s in cm²/s (NULL unless positive)';
COMMENT ON COLUMN descriptors.ea_ev IS 'Activation energy of the material (arrhenius.ea_ev, eV)';
COMMENT ON COLUMN descriptors.d_300k_cm2_s IS 'Tracer D of the material extrapolated to 300 K (arrhenius.d_300k_cm2_s, cm²/s)';
COMMENT ON COLUMN descriptors.ea_err_ev IS 'Standard error of ea_ev (eV)';
COMMENT ON VIEW diffusion_pooled IS 'Replicate runs pooled per (material, temperature, element): mean of the fitted D, error √(Σσ²)/n_runs, NULL unless above 2σ';
COMMENT ON COLUMN diffusion_pooled.material IS 'Material (trajectories.material, else formula, else name)';
COMMENT ON COLUMN diffusion_pooled.temperature_k IS 'MD temperature (K)';
COMMENT ON COLUMN diffusion_pooled.element IS 'Mobile element';
COMMENT ON COLUMN diffusion_pooled.n_runs IS 'Number of runs pooled';
COMMENT ON COLUMN diffusion_pooled.n_ions_total IS 'Ions of the element summed over the runs';
COMMENT ON COLUMN diffusion_pooled.trajectory_ids IS 'The pooled runs (trajectories.trajectory_id)';
COMMENT ON COLUMN diffusion_pooled.d_tracer_cm2_s IS 'Pooled tracer D (cm²/s); NULL unless above 2σ';
COMMENT ON COLUMN diffusion_pooled.d_tracer_err IS 'Standard error of the pooled tracer D (cm²/s)';
COMMENT ON COLUMN diffusion_pooled.d_collective_cm2_s IS 'Pooled collective D (cm²/s); NULL unless above 2σ';
COMMENT ON COLUMN diffusion_pooled.d_collective_err IS 'Standard error of the pooled collective D (cm²/s)';
COMMENT ON COLUMN diffusion_pooled.haven_ratio IS 'Pooled Haven ratio d_tracer / d_collective; NULL unless both are resolved';
COMMENT ON COLUMN diffusion_pooled.haven_ratio_err IS 'Standard error of haven_ratio';
COMMENT ON COLUMN diffusion_pooled.conductivity_ne_s_cm IS 'Nernst–Einstein conductivity from the pooled tracer D (S/cm)';
COMMENT ON COLUMN diffusion_pooled.conductivity_ne_err_s_cm IS 'Standard error of conductivity_ne_s_cm (S/cm)';
COMMENT ON COLUMN diffusion_pooled.conductivity_s_cm IS 'Charge conductivity from the pooled collective D (S/cm); NULL unless resolved (or no run resolves its tracer D, which gives the N·(z·e)²/(V·kB·T) factor)';
COMMENT ON COLUMN diffusion_pooled.conductivity_err_s_cm IS 'Standard error of conductivity_s_cm (S/cm)';
