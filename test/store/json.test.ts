// `analyze --json` from the table descriptions: each array holds exactly what its table holds,
// under the table's column names.
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { resultToJson } from '../../src/store/json.js';
import { jsonReplacer } from '../../src/store/values.js';
import { ANALYSIS_TABLES } from '../../src/store/tables/registry.js';
import { makeRecord, makeResult } from './fixtures.js';

describe('resultToJson', () => {
  it('every array is its table: same keys (columns but trajectory_id), same values, plain arrays', async () => {
    const r = makeResult(2);
    const j = JSON.parse(JSON.stringify(resultToJson(r), jsonReplacer)) as Record<string, unknown>;
    const s = await Store.open(':memory:');
    await ingestTrajectory(s, makeRecord('t1'), r);
    for (const t of ANALYSIS_TABLES) {
      const stored = await s.query(`SELECT * EXCLUDE (trajectory_id) FROM ${t.name} ORDER BY rowid`);
      expect(stored.length, t.name).toBeGreaterThan(0);
      expect(j[t.name], t.name).toEqual(stored);
    }
    s.close();
    const d = (j.diffusion as Record<string, unknown>[])[0];
    expect(Array.isArray(d.msd_a2)).toBe(true);
    expect((j.correlation_fits as Record<string, unknown>[])[0].offset_err).toBeNull();
    expect(Object.keys(j)).toEqual([
      'method', 'params', 'params_hash', 'mobile', 'frame_interval_fs', 'duration_ps',
      'events', 'atoms', 'concerted_groups', 'correlations', 'correlation_fits', 'diffusion', 'element_descriptors', 'sites', 'site_jumps',
      'timings_ms', 'warnings',
    ]);
  });
});
