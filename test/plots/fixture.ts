/**
 * A small synthetic ionsift database, written into the store's own tables (src/store/tables/),
 * for developing and testing plots and notebooks without the indexer. Three materials at
 * four temperatures each, Arrhenius-consistent D, hop events with concerted groups, MSD curves.
 */
import { Store } from '../../src/store/db.js';
import { mulberry32 } from '../../src/analysis/random.js';

const KB = 8.617333262e-5;

const rng = mulberry32;

const q = (v: string | number | null | number[]): string =>
  v === null ? 'NULL' : Array.isArray(v) ? `[${v.join(',')}]::DOUBLE[]` : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
const values = (rows: (string | number | null | number[])[][]): string => rows.map((r) => `(${r.map(q).join(', ')})`).join(',\n');

export const FIXTURE_MATERIALS = [
  { material: 'Li6PS5Cl', ea: 0.22, d0: 2e-3 },
  { material: 'Li3YCl6', ea: 0.31, d0: 4e-3 },
  { material: 'Li7La3Zr2O12', ea: 0.42, d0: 1e-2 },
];
export const FIXTURE_TEMPERATURES = [500, 600, 700, 800];
export const FIXTURE_TRAJECTORIES = FIXTURE_MATERIALS.length * FIXTURE_TEMPERATURES.length;

export async function makeFixtureDb(path: string): Promise<void> {
  const store = await Store.open(path);
  const r = rng(42);
  const traj: (string | number | null | number[])[][] = [];
  const events: (string | number | null | number[])[][] = [];
  const corr: (string | number | null | number[])[][] = [];
  const fits: (string | number | null | number[])[][] = [];
  const diff: (string | number | null | number[])[][] = [];
  const desc: (string | number | null | number[])[][] = [];
  const arr: (string | number | null | number[])[][] = [];
  for (const m of FIXTURE_MATERIALS) {
    for (const T of FIXTURE_TEMPERATURES) {
      const id = `${m.material}-${T}K`;
      const duration = 50;
      traj.push([id, id, `/data/${m.material}/${T}/XDATCAR`, 'hash', 'sig', 'xdatcar', m.material, m.material, T, 2, 500, 160, duration, 1200, 'params']);
      const d = m.d0 * Math.exp(-m.ea / (KB * T)) * (1 + 0.1 * (r() - 0.5));
      const rate = 0.05 + 2e4 * d; // hops per ion per ps, grows with D
      let eid = 0;
      let gid = 0;
      let nConc = 0;
      for (let atom = 0; atom < 24; atom++) {
        let t = r() * 5;
        while (t < duration) {
          const concerted = r() < 0.35;
          const nb = concerted ? 2 + Math.floor(r() * 3) : 1;
          if (concerted) nConc++;
          events.push([id, eid++, atom, 'Li', Math.round(t * 2), Math.round(t * 2) + 1, t, 0.1 + r() * 0.3, 2 + r(), concerted ? gid++ : null, nb]);
          t += -Math.log(1 - r()) / rate;
        }
      }
      const k = 0.6 + m.ea * 2 + r() * 0.2;
      const fr = [1, 2, 3, 4, 5, 6].map((n) => Math.exp(-k * n));
      const tot = fr.reduce((a, b) => a + b, 0);
      fr.forEach((f, i) => corr.push([id, 'Li', i + 1, Math.round((f / tot) * eid), f / tot]));
      fits.push([id, "Li", 0, 1 / tot, k, 0.98]);
      const times: number[] = [];
      const msd: number[] = [];
      for (let i = 0; i <= 400; i++) {
        const tt = (i * duration) / 2 / 400;
        times.push(tt);
        msd.push(1.5 * (1 - Math.exp(-tt * 20)) + 6 * d * 1e4 * tt * (1 + 0.05 * Math.sin(i / 7)));
      }
      diff.push([id, 'Li', 24, d, d * 0.1, d * 1.4, d * 0.2, 1 / 1.4, d * 3e4, 2.5, 20, times, msd]);
      desc.push([id, 'Li', 24, eid, 2 + r(), 0.2, 2.4, eid / 24 / duration, 24 * duration / Math.max(1, eid), nConc / Math.max(1, eid), 1.3 + r() * 0.3, k, 0.1 + r() * 0.1]);
    }
    arr.push([m.material, 'Li', m.material, 4, 4, 500, 800, m.ea, 0.02, m.d0, 0.99, m.d0 * Math.exp(-m.ea / (KB * 300))]);
  }
  await store.run(`INSERT INTO trajectories (trajectory_id, name, path, paths, content_hash, files_signature, format, material, formula, temperature_k,
      timestep_fs, n_frames, n_atoms, duration_ps, volume_a3, params_hash, indexed_at)
    SELECT c0, c1, c2, [c2], c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, now() FROM (VALUES ${values(traj)})
      AS v(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14)`);
  await store.run(`INSERT INTO events (trajectory_id, event_id, atom, element, start_frame, end_frame, start_ps, duration_ps, length_a, group_id, n_bodies) VALUES ${values(events)}`);
  await store.run(`INSERT INTO correlations (trajectory_id, element, n_bodies, count, fraction) VALUES ${values(corr)}`);
  await store.run(`INSERT INTO correlation_fits (trajectory_id, element, "offset", amplitude, decay_rate, r2) VALUES ${values(fits)}`);
  await store.run(`INSERT INTO diffusion (trajectory_id, element, n_ions, d_tracer_cm2_s, d_tracer_err, d_collective_cm2_s, d_collective_err, haven_ratio,
      conductivity_s_cm, fit_start_ps, fit_end_ps, msd_times_ps, msd_a2) VALUES ${values(diff)}`);
  await store.run(`INSERT INTO element_descriptors (trajectory_id, element, n_ions, n_events, time_to_first_hop_ps_mean, event_duration_ps_mean,
      hop_length_a_mean, hop_rate_per_ion_ps, residence_ps_mean, concerted_fraction, n_bodies_mean, decay_rate, back_hop_fraction) VALUES ${values(desc)}`);
  // A site map for one trajectory: a 4 × 4 grid of sites in two types, jumps between neighbours.
  const sites: (string | number | null | number[])[][] = [];
  const jumps: (string | number | null | number[])[][] = [];
  for (let i = 0; i < 16; i++) {
    const [fx, fy] = [(i % 4) / 4 + 0.125, Math.floor(i / 4) / 4 + 0.125];
    sites.push(['Li6PS5Cl-800K', 'Li', i, (i + Math.floor(i / 4)) % 2, fx, fy, 0.5, fx * 10, fy * 10, 5, 0.5 + 0.5 * r()]);
    for (const j of [(i + 1) % 4 + 4 * Math.floor(i / 4), (i + 4) % 16]) jumps.push(['Li6PS5Cl-800K', 'Li', i, j, 1 + Math.floor(r() * 20), 0.1, 0.2, 0.3, 2.5]);
  }
  await store.run(`INSERT INTO sites (trajectory_id, element, site_id, site_type, frac_x, frac_y, frac_z, x_a, y_a, z_a, occupancy) VALUES ${values(sites)}`);
  await store.run(`INSERT INTO site_jumps (trajectory_id, element, from_site, to_site, count, rate_per_ps, transit_ps_mean, return_fraction, length_a) VALUES ${values(jumps)}`);
  await store.run(`INSERT INTO arrhenius (material, element, formula, n_temperatures, n_trajectories, t_min_k, t_max_k, ea_ev, ea_err_ev, d0_cm2_s, r2, d_300k_cm2_s) VALUES ${values(arr)}`);
  await store.checkpoint();
  store.close();
}
