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
  back_hop       BOOLEAN
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
  atoms          INTEGER[]
);

CREATE TABLE IF NOT EXISTS correlations (
  trajectory_id  VARCHAR NOT NULL,
  element        VARCHAR NOT NULL,
  n_bodies       INTEGER NOT NULL,
  count          INTEGER NOT NULL,
  fraction       DOUBLE
);

CREATE TABLE IF NOT EXISTS correlation_fits (
  trajectory_id   VARCHAR NOT NULL,
  element         VARCHAR NOT NULL,
  "offset"        DOUBLE,
  offset_err      DOUBLE,
  amplitude       DOUBLE,
  amplitude_err   DOUBLE,
  decay_rate      DOUBLE,
  decay_rate_err  DOUBLE,
  r2              DOUBLE,
  n_points        INTEGER
);

CREATE TABLE IF NOT EXISTS diffusion (
  trajectory_id          VARCHAR NOT NULL,
  element                VARCHAR NOT NULL,
  n_ions                 INTEGER,
  d_tracer_cm2_s         DOUBLE,
  d_tracer_err           DOUBLE,
  d_collective_cm2_s     DOUBLE,
  d_collective_err       DOUBLE,
  haven_ratio            DOUBLE,
  conductivity_s_cm      DOUBLE,
  conductivity_err_s_cm  DOUBLE,
  fit_start_ps           DOUBLE,
  fit_end_ps             DOUBLE,
  d_hops_cm2_s           DOUBLE,
  msd_times_ps           DOUBLE[],
  msd_a2                 DOUBLE[]
);

CREATE TABLE IF NOT EXISTS element_descriptors (
  trajectory_id              VARCHAR NOT NULL,
  element                    VARCHAR NOT NULL,
  n_ions                     INTEGER,
  n_events                   INTEGER,
  time_to_first_hop_ps_mean  DOUBLE,
  event_duration_ps_mean     DOUBLE,
  hop_length_a_mean          DOUBLE,
  hop_rate_per_ion_ps        DOUBLE,
  residence_ps_mean          DOUBLE,
  concerted_fraction         DOUBLE,
  n_bodies_mean              DOUBLE,
  decay_rate                 DOUBLE,
  back_hop_fraction          DOUBLE
);

CREATE TABLE IF NOT EXISTS arrhenius (
  material                VARCHAR NOT NULL,
  element                 VARCHAR NOT NULL,
  formula                 VARCHAR,
  n_temperatures          INTEGER NOT NULL,
  n_trajectories          INTEGER NOT NULL,
  t_min_k                 DOUBLE,
  t_max_k                 DOUBLE,
  ea_ev                   DOUBLE,
  ea_err_ev               DOUBLE,
  d0_cm2_s                DOUBLE,
  r2                      DOUBLE,
  d_300k_cm2_s            DOUBLE,
  d_300k_err_cm2_s        DOUBLE,
  conductivity_300k_s_cm  DOUBLE,
  method                  VARCHAR
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
  e.back_hop_fraction,
  e.decay_rate,
  f.amplitude AS correlation_amplitude,
  f.r2 AS correlation_fit_r2,
  d.d_tracer_cm2_s,
  d.d_tracer_err,
  d.d_collective_cm2_s,
  d.d_collective_err,
  d.d_hops_cm2_s,
  d.haven_ratio,
  d.conductivity_s_cm,
  CASE WHEN d.d_tracer_cm2_s > 0 THEN log10(d.d_tracer_cm2_s) END AS log10_d_tracer,
  a.ea_ev,
  a.d_300k_cm2_s
FROM trajectories t
JOIN diffusion d USING (trajectory_id)
LEFT JOIN element_descriptors e ON e.trajectory_id = d.trajectory_id AND e.element = d.element
LEFT JOIN correlation_fits f ON f.trajectory_id = d.trajectory_id AND f.element = d.element
LEFT JOIN arrhenius a ON a.material = coalesce(t.material, t.formula, t.name) AND a.element = d.element;

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
COMMENT ON TABLE atoms IS 'One row per analysed (mobile) ion';
COMMENT ON COLUMN atoms.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN atoms.atom IS 'Atom index in file order (0-based, all species)';
COMMENT ON COLUMN atoms.element IS 'Element symbol';
COMMENT ON COLUMN atoms.n_events IS 'Number of hops of this ion';
COMMENT ON COLUMN atoms.n_centres IS 'Number of vibration centres found';
COMMENT ON COLUMN atoms.residence_ps_mean IS 'Mean residence time at a centre between hops (ps); NULL when it never hopped';
COMMENT ON COLUMN atoms.msd_final_a2 IS 'Squared displacement between the first and last frame (Å²)';
COMMENT ON TABLE concerted_groups IS 'One row per set of ions hopping together';
COMMENT ON COLUMN concerted_groups.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN concerted_groups.group_id IS 'Group id within the trajectory (events.group_id)';
COMMENT ON COLUMN concerted_groups.element IS 'Element of the ions in the group';
COMMENT ON COLUMN concerted_groups.n_bodies IS 'Number of distinct ions (atoms) in the group';
COMMENT ON COLUMN concerted_groups.start_frame IS 'First frame of the group (0-based)';
COMMENT ON COLUMN concerted_groups.end_frame IS 'Last frame of the group';
COMMENT ON COLUMN concerted_groups.atoms IS 'Atom indices of the ions in the group';
COMMENT ON TABLE correlations IS 'n-body distribution of hop events per (trajectory, element, n_bodies)';
COMMENT ON COLUMN correlations.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN correlations.element IS 'Mobile element';
COMMENT ON COLUMN correlations.n_bodies IS 'Number of correlated bodies';
COMMENT ON COLUMN correlations.count IS 'Number of events with this n_bodies';
COMMENT ON COLUMN correlations.fraction IS 'count / total events of the element';
COMMENT ON TABLE correlation_fits IS 'Fit y(n) = offset + amplitude·exp(−decay_rate·n) of the n-body distribution';
COMMENT ON COLUMN correlation_fits.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN correlation_fits.element IS 'Mobile element';
COMMENT ON COLUMN correlation_fits."offset" IS 'Offset of the fit';
COMMENT ON COLUMN correlation_fits.offset_err IS 'Standard error of offset';
COMMENT ON COLUMN correlation_fits.amplitude IS 'Amplitude of the fit';
COMMENT ON COLUMN correlation_fits.amplitude_err IS 'Standard error of amplitude';
COMMENT ON COLUMN correlation_fits.decay_rate IS 'Decay rate per body';
COMMENT ON COLUMN correlation_fits.decay_rate_err IS 'Standard error of decay_rate';
COMMENT ON COLUMN correlation_fits.r2 IS 'Coefficient of determination';
COMMENT ON COLUMN correlation_fits.n_points IS 'Number of n-body bins fitted';
COMMENT ON TABLE diffusion IS 'Diffusion coefficients and conductivity per (trajectory, element)';
COMMENT ON COLUMN diffusion.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN diffusion.element IS 'Mobile element';
COMMENT ON COLUMN diffusion.n_ions IS 'Number of ions of the element';
COMMENT ON COLUMN diffusion.d_tracer_cm2_s IS 'Tracer diffusion coefficient (cm²/s)';
COMMENT ON COLUMN diffusion.d_tracer_err IS 'Standard error of d_tracer_cm2_s (cm²/s)';
COMMENT ON COLUMN diffusion.d_collective_cm2_s IS 'Collective (charge) diffusion coefficient (cm²/s)';
COMMENT ON COLUMN diffusion.d_collective_err IS 'Standard error of d_collective_cm2_s (cm²/s)';
COMMENT ON COLUMN diffusion.haven_ratio IS 'd_tracer / d_collective';
COMMENT ON COLUMN diffusion.conductivity_s_cm IS 'Ionic conductivity at the MD temperature (S/cm), Nernst–Einstein from d_collective';
COMMENT ON COLUMN diffusion.conductivity_err_s_cm IS 'Standard error of conductivity_s_cm (S/cm)';
COMMENT ON COLUMN diffusion.fit_start_ps IS 'Start of the MSD fit window (ps)';
COMMENT ON COLUMN diffusion.fit_end_ps IS 'End of the MSD fit window (ps)';
COMMENT ON COLUMN diffusion.d_hops_cm2_s IS 'Tracer D implied by the detected hops, Σ|hop|²/(6·N·t) (cm²/s)';
COMMENT ON COLUMN diffusion.msd_times_ps IS 'Lag times of the stored MSD curve (ps)';
COMMENT ON COLUMN diffusion.msd_a2 IS 'Time-origin-averaged tracer MSD at msd_times_ps (Å²)';
COMMENT ON TABLE element_descriptors IS 'Hop descriptors per (trajectory, element), as computed by analyze()';
COMMENT ON COLUMN element_descriptors.trajectory_id IS 'trajectories.trajectory_id';
COMMENT ON COLUMN element_descriptors.element IS 'Mobile element';
COMMENT ON COLUMN element_descriptors.n_ions IS 'Number of ions of the element';
COMMENT ON COLUMN element_descriptors.n_events IS 'Number of hop events of the element';
COMMENT ON COLUMN element_descriptors.time_to_first_hop_ps_mean IS 'Mean time before an ion''s first hop (ps)';
COMMENT ON COLUMN element_descriptors.event_duration_ps_mean IS 'Mean transit duration (ps)';
COMMENT ON COLUMN element_descriptors.hop_length_a_mean IS 'Mean hop length (Å)';
COMMENT ON COLUMN element_descriptors.hop_rate_per_ion_ps IS 'Hops per ion per ps';
COMMENT ON COLUMN element_descriptors.residence_ps_mean IS 'Mean residence time between hops (ps)';
COMMENT ON COLUMN element_descriptors.concerted_fraction IS 'Fraction of events in concerted groups';
COMMENT ON COLUMN element_descriptors.n_bodies_mean IS 'Mean number of correlated bodies per event';
COMMENT ON COLUMN element_descriptors.decay_rate IS 'Decay rate of the n-body distribution fit';
COMMENT ON COLUMN element_descriptors.back_hop_fraction IS 'Fraction of hops returning to the previous centre';
COMMENT ON TABLE arrhenius IS 'Arrhenius fit ln D = ln D0 − Ea/(kB·T) per (material, element) across temperatures, recomputed after every run';
COMMENT ON COLUMN arrhenius.material IS 'Material (trajectories.material, else formula)';
COMMENT ON COLUMN arrhenius.element IS 'Mobile element';
COMMENT ON COLUMN arrhenius.formula IS 'Reduced formula of the material';
COMMENT ON COLUMN arrhenius.n_temperatures IS 'Number of distinct temperatures';
COMMENT ON COLUMN arrhenius.n_trajectories IS 'Number of trajectories with a positive D';
COMMENT ON COLUMN arrhenius.t_min_k IS 'Lowest temperature (K)';
COMMENT ON COLUMN arrhenius.t_max_k IS 'Highest temperature (K)';
COMMENT ON COLUMN arrhenius.ea_ev IS 'Activation energy (eV); NULL with fewer than 2 temperatures';
COMMENT ON COLUMN arrhenius.ea_err_ev IS 'Standard error of ea_ev (eV)';
COMMENT ON COLUMN arrhenius.d0_cm2_s IS 'Pre-exponential factor (cm²/s)';
COMMENT ON COLUMN arrhenius.r2 IS 'Coefficient of determination of the fit';
COMMENT ON COLUMN arrhenius.d_300k_cm2_s IS 'Tracer D extrapolated to 300 K (cm²/s)';
COMMENT ON COLUMN arrhenius.d_300k_err_cm2_s IS 'Standard error of d_300k_cm2_s (cm²/s)';
COMMENT ON COLUMN arrhenius.conductivity_300k_s_cm IS 'Conductivity at 300 K (S/cm): d_300k scaled by the median σ·T/D of the material';
COMMENT ON COLUMN arrhenius.method IS 'Fit used: weighted (by the D errors) or unweighted ln D vs 1/T, or single temperature (no fit)';
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
COMMENT ON COLUMN descriptors.hop_rate_per_ion_ps IS 'Hops per ion per ps';
COMMENT ON COLUMN descriptors.time_to_first_hop_ps_mean IS 'Mean time before an ion''s first hop (ps)';
COMMENT ON COLUMN descriptors.event_duration_ps_mean IS 'Mean transit duration (ps)';
COMMENT ON COLUMN descriptors.hop_length_a_mean IS 'Mean hop length (Å)';
COMMENT ON COLUMN descriptors.residence_ps_mean IS 'Mean residence time between hops (ps)';
COMMENT ON COLUMN descriptors.concerted_fraction IS 'Fraction of events in concerted groups';
COMMENT ON COLUMN descriptors.n_bodies_mean IS 'Mean number of correlated bodies per event';
COMMENT ON COLUMN descriptors.back_hop_fraction IS 'Fraction of hops returning to the previous centre';
COMMENT ON COLUMN descriptors.decay_rate IS 'Decay rate of the n-body distribution fit';
COMMENT ON COLUMN descriptors.correlation_amplitude IS 'Amplitude of the n-body distribution fit (correlation_fits.amplitude)';
COMMENT ON COLUMN descriptors.correlation_fit_r2 IS 'Coefficient of determination of the n-body distribution fit';
COMMENT ON COLUMN descriptors.d_tracer_cm2_s IS 'Tracer diffusion coefficient (cm²/s)';
COMMENT ON COLUMN descriptors.d_tracer_err IS 'Standard error of d_tracer_cm2_s (cm²/s)';
COMMENT ON COLUMN descriptors.d_collective_cm2_s IS 'Collective (charge) diffusion coefficient (cm²/s)';
COMMENT ON COLUMN descriptors.d_collective_err IS 'Standard error of d_collective_cm2_s (cm²/s)';
COMMENT ON COLUMN descriptors.d_hops_cm2_s IS 'Tracer D implied by the detected hops (cm²/s)';
COMMENT ON COLUMN descriptors.haven_ratio IS 'd_tracer / d_collective';
COMMENT ON COLUMN descriptors.conductivity_s_cm IS 'Ionic conductivity at the MD temperature (S/cm)';
COMMENT ON COLUMN descriptors.log10_d_tracer IS 'log10 of d_tracer_cm2_s in cm²/s (NULL unless positive)';
COMMENT ON COLUMN descriptors.ea_ev IS 'Activation energy of the material (arrhenius.ea_ev, eV)';
COMMENT ON COLUMN descriptors.d_300k_cm2_s IS 'Tracer D of the material extrapolated to 300 K (arrhenius.d_300k_cm2_s, cm²/s)';
