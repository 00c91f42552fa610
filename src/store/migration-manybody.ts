/**
 * Schema 1 → 2: the null-model-calibrated many-body columns (analysis/manybody). New columns are
 * appended, so a migrated table has the described column order. Rows written before it were
 * IonDiff's time-only numbers: they are labelled `iondiff`, and the descriptors they filled move
 * to the iondiff_ columns (the calibrated ones stay NULL until the trajectory is re-indexed,
 * which the ANALYSIS_VERSION bump asks for). Part of migration 2 (db.ts), which drops and
 * rebuilds the views around it.
 */
/** The ALTERs. DuckDB refuses to commit an ALTER of a table after an UPDATE of it in the same transaction, so every ALTER of migration 2 runs before `manyBodyMigrationData`. */
export function manyBodyMigrationDdl(): string {
  const add = (table: string, cols: string[]): string => cols.map((c) => `ALTER TABLE ${table} ADD COLUMN ${c};`).join('\n');
  return [
    add('correlations', [`method VARCHAR DEFAULT 'calibrated'`, `counted VARCHAR DEFAULT 'hops'`, 'expected DOUBLE', 'expected_sd DOUBLE', 'excess DOUBLE', 'excess_err DOUBLE']),
    add('correlation_fits', [`method VARCHAR DEFAULT 'calibrated'`, 'chi2_reduced DOUBLE', 'dof INTEGER', 'p_value DOUBLE', 'n_groups_excess DOUBLE', 'verdict VARCHAR']),
    add('concerted_groups', ['n_hops INTEGER']),
    add('element_descriptors', [
      'concerted_fraction_expected DOUBLE', 'concerted_fraction_excess DOUBLE', 'concerted_fraction_excess_err DOUBLE', 'concerted_p_value DOUBLE',
      'n_bodies_mean_expected DOUBLE', 'n_bodies_mean_excess DOUBLE', 'n_bodies_mean_excess_err DOUBLE',
      'iondiff_concerted_fraction DOUBLE', 'iondiff_n_bodies_mean DOUBLE', 'correlation_law VARCHAR',
      'haven_ratio_groups DOUBLE', 'haven_ratio_groups_err DOUBLE',
    ]),
  ].join('\n');
}

/** Old rows were IonDiff's numbers: relabel them and move the descriptors to the iondiff_ columns. */
export function manyBodyMigrationData(): string {
  return [
    `UPDATE correlations SET method = 'iondiff';`,
    `UPDATE correlation_fits SET method = 'iondiff';`,
    `UPDATE element_descriptors SET iondiff_concerted_fraction = concerted_fraction, iondiff_n_bodies_mean = n_bodies_mean,
  concerted_fraction = NULL, n_bodies_mean = NULL, decay_rate = NULL;`,
  ].join('\n');
}
