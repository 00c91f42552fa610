// The Appender checks the live table's column names and types against the description.
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { makeRecord, makeResult } from './fixtures.js';

describe('appendRows', () => {
  it('refuses a table whose column names differ, even with the same count and types', async () => {
    const s = await Store.open(':memory:');
    await s.run('ALTER TABLE species RENAME COLUMN charge TO charge_e');
    await expect(ingestTrajectory(s, makeRecord('t1'), makeResult(1))).rejects.toThrow(/append to species: the table's columns are \(.*charge_e.*\), its description's \(.*charge,/);
    // All or nothing: the trajectory row went with the failed transaction.
    expect((await s.query('SELECT count(*) AS n FROM trajectories'))[0].n).toBe(0);
    s.close();
  });

  it('refuses a table whose column types differ', async () => {
    const s = await Store.open(':memory:');
    await s.run('ALTER TABLE atoms ALTER COLUMN n_centres TYPE DOUBLE');
    await expect(ingestTrajectory(s, makeRecord('t1'), makeResult(1))).rejects.toThrow(/append to atoms: the table's column types are \(.*n_centres DOUBLE.*\), its description's \(.*n_centres INTEGER/);
    s.close();
  });
});
