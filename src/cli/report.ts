/** `ionsift report --db FILE --out report.html` — the whole database as one self-contained HTML page. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, parseCommandArgs, positiveIntegerOption, UsageError, withUsage } from './args.js';
import { openForReading } from './open-store.js';
import { buildReport } from '../report/build.js';

export const help = `usage: ionsift report --db FILE [--out report.html] [options]

Writes one HTML file a colleague can open from a mail attachment, offline: the screening
ranking (D at 300 K extrapolated, and measured D), the Arrhenius plot, descriptor–D
correlations per temperature and with 1/T held fixed, n-body distributions, the MSD and hop
timeline of each trajectory, failures and warnings, and the database's provenance. Charts are
interactive (vega-embed, bundled inline: no CDN) and also inline as static SVG for readers
with scripts off. The database is opened read-only.

options:
  --db FILE                DuckDB database written by ionsift index (required)
  --out FILE               the HTML file (default: report.html beside the database)
  --max-trajectories N     trajectories with their own MSD and hop timeline (default 24)
  --max-hops N             hop events per timeline (default 1500)
  -h, --help               this text`;

async function runCommand(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'max-trajectories': { type: 'string' },
    'max-hops': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!o.db) throw new UsageError('--db is required');
  const maxTrajectories = positiveIntegerOption('max-trajectories', o['max-trajectories']);
  const maxHops = positiveIntegerOption('max-hops', o['max-hops']);
  const out = resolve(o.out ?? resolve(o.db, '..', 'report.html'));
  if (!out.endsWith('.html')) throw new UsageError(`--out must end in .html: ${out}`);
  const store = await openForReading('report', o.db);
  if (typeof store === 'number') return store;
  try {
    const q = (sql: string) => store.query(sql) as Promise<Record<string, unknown>[]>;
    const r = await buildReport(q, { database: resolve(o.db), maxTrajectories, maxHops });
    await writeFile(out, r.html);
    for (const m of r.unavailable) console.error(`ionsift report: not drawn: ${m}`);
    for (const m of r.errors) console.error(`ionsift report: error: ${m}`);
    console.log(`wrote ${out} (${r.charts} charts, ${Math.round(r.html.length / 1024)} kB)`);
    return r.errors.length ? 1 : 0;
  } catch (err) {
    console.error(`ionsift report: ${errorMessage(err)}`);
    return 1;
  } finally {
    store.close();
  }
}

export const run = withUsage('report', help, runCommand);
