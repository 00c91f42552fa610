/**
 * Every notebook in notebooks/ executed headless through real Jupyter (nbconvert → nbclient)
 * with the ionsift kernel, installed into a temporary JUPYTER_DATA_DIR from the built dist/.
 * Fails on any error or stderr output; checks that each plot cell produced an image and that
 * the number of indexed trajectories printed by 01-explore is the database's.
 *
 * Real path (default): notebook 01 runs `ionsift index datasets` into a temporary database.
 * Needs `npm run build` (dist/cli/main.js), datasets/manifest.json and Jupyter
 * (scripts/setup-system.sh); skips with the reason otherwise.
 * IONSIFT_NOTEBOOK_FIXTURE=1 runs the same notebooks on the synthetic database of
 * test/plots/fixture.ts instead (no indexer needed); IONSIFT_DIST=dir uses another build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { makeFixtureDb } from '../plots/fixture.js';
import { browserSkipReason, launch, screenshotPath, watch } from '../helpers/browser.js';

const root = resolve(import.meta.dirname, '../..');
const dist = resolve(process.env.IONSIFT_DIST ?? join(root, 'dist'));
const cli = join(dist, 'cli', 'main.js');
const launcher = join(dist, 'notebook', 'kernel.js');
const manifest = join(root, 'datasets', 'manifest.json');
const fixture = process.env.IONSIFT_NOTEBOOK_FIXTURE === '1';
const notebooks = readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();

function skipReason(): string | null {
  const j = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (j.error || j.status !== 0) return 'Jupyter nbconvert is not installed (run scripts/setup-system.sh or npm run notebook:setup)';
  if (!existsSync(cli) || !existsSync(launcher)) return `${cli} or ${launcher} is missing (run npm run build)`;
  if (!fixture && !existsSync(manifest)) return `${manifest} is missing (the embedded datasets are not generated yet)`;
  return null;
}
const reason = skipReason();
if (reason) console.warn(`skipping notebook tests: ${reason}`);
const browserReason = browserSkipReason();
if (!reason && browserReason) console.warn(`notebook HTML exports not checked in a browser: ${browserReason}`);

/**
 * The executed notebook exported to HTML (nbconvert) and opened in Chromium offline: no console
 * error, no request leaving file://, every chart's SVG drawn with marks; a screenshot of each
 * goes to out/screenshots.
 */
async function checkHtmlExport(executed: string, name: string, expectedCharts: number): Promise<void> {
  const outDir = join(dirname(executed), 'html');
  const h = spawnSync('jupyter', ['nbconvert', '--to', 'html', executed, '--output-dir', outDir], { encoding: 'utf8' });
  expect(h.status, h.stderr).toBe(0);
  const browser = await launch();
  try {
    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(pathToFileURL(join(outDir, name.replace(/\.ipynb$/, '.html'))).href, { waitUntil: 'load' });
    // Charts reach the export as <img> of their SVG (nbconvert 6.5 strips inline SVG to text):
    // each must have decoded, and its SVG must hold Vega's marks.
    const charts = await page.$$eval('img[alt^="chart: "]', (els) =>
      els.map((e) => {
        const img = e as HTMLImageElement;
        const svg = atob(img.src.replace(/^data:image\/svg\+xml;base64,/, ''));
        return { marks: (svg.match(/class="mark-/g) ?? []).length, height: img.complete ? img.naturalHeight : 0 };
      }),
    );
    expect(charts.length, `${name}: charts in the HTML export`).toBeGreaterThanOrEqual(expectedCharts);
    for (const c of charts) {
      expect(c.marks).toBeGreaterThan(0);
      expect(c.height).toBeGreaterThan(50);
    }
    expect(seen.errors, `${name}: console errors`).toEqual([]);
    expect(seen.network, `${name}: requests leaving file://`).toEqual([]);
    // The screenshot shows the first chart (the top of a notebook is its introduction).
    if (charts.length) await page.locator('img[alt^="chart: "]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath(name.replace(/\.ipynb$/, '.png')) });
    await context.close();
  } finally {
    await browser.close();
  }
}

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  outputs?: Output[];
}
const joined = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));

describe.skipIf(reason !== null)('notebooks run headless in the ionsift kernel', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let db: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ionsift-nb-'));
    db = join(tmp, 'datasets.duckdb');
    env = {
      ...process.env,
      JUPYTER_DATA_DIR: join(tmp, 'jupyter'),
      IONSIFT_DB: db,
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
    if (fixture) {
      await makeFixtureDb(db);
      env.IONSIFT_NO_INDEX = '1';
    }
    // dist/cli/main.js only exports main() (bin/ionsift.js is the launcher, tied to ./dist).
    const runCli = `import { main } from ${JSON.stringify(pathToFileURL(cli).href)}; process.exitCode = await main(process.argv.slice(1));`;
    const inst = spawnSync(process.execPath, ['--input-type=module', '-e', runCli, 'kernel', 'install', '--user'], { env, encoding: 'utf8' });
    expect(inst.status, inst.stderr).toBe(0);
    expect(existsSync(join(tmp, 'jupyter', 'kernels', 'ionsift', 'kernel.json'))).toBe(true);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function execute(name: string): Cell[] {
    const r = spawnSync(
      'jupyter',
      [
        'nbconvert', '--to', 'notebook', '--execute', join(root, 'notebooks', name),
        '--output-dir', tmp, '--ExecutePreprocessor.kernel_name=ionsift', '--ExecutePreprocessor.timeout=900',
      ],
      { env, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(r.status, `nbconvert ${name} failed:\n${r.stderr.split('\n').slice(-40).join('\n')}`).toBe(0);
    const cells = (JSON.parse(readFileSync(join(tmp, name), 'utf8')) as { cells: Cell[] }).cells;
    for (const c of cells) {
      for (const o of c.outputs ?? []) {
        const where = `${name} cell ${c.id}: ${joined(c.source).slice(0, 80)}`;
        expect(o.output_type, `${where}\n${o.ename}: ${o.evalue}`).not.toBe('error');
        expect(o.output_type === 'stream' && o.name === 'stderr' ? joined(o.text) : '', where).toBe('');
        // No echo of a value already shown (a table, a chart) nor of a promise.
        expect(o.output_type === 'stream' ? joined(o.text) : '', where).not.toMatch(/^\[\d+ rows?\]$|^Chart\(|Promise \{/m);
      }
      if (c.cell_type === 'code' && /\bplot\.\w+\(/.test(joined(c.source))) {
        const images = (c.outputs ?? []).filter((o) => o.data && ('image/svg+xml' in o.data || 'image/png' in o.data));
        expect(images.length, `${name} cell ${c.id} produced no image`).toBeGreaterThan(0);
        const svg = joined(images[0].data!['image/svg+xml'] as string | string[]);
        expect(svg.length).toBeGreaterThan(2000);
        expect(Object.keys(images[0].data!).some((k) => /^application\/vnd\.vegalite\.v\d+\+json$/.test(k))).toBe(true);
      }
    }
    return cells;
  }

  it.each(notebooks)('%s', { timeout: 1_200_000 }, async (name) => {
    const cells = execute(name);
    expect(cells.some((c) => c.outputs?.length)).toBe(true);
    const plotCalls = cells.filter((c) => c.cell_type === 'code' && /\bplot\.\w+\(/.test(joined(c.source))).length;
    if (!browserReason) await checkHtmlExport(join(tmp, name), name, plotCalls);
    if (name.startsWith('01-')) {
      // The key number: the trajectory count shown in the notebook is the database's.
      const store = await Store.open(db, { readOnly: true });
      const n = Number((await store.query('SELECT count(*) AS n FROM trajectories'))[0].n);
      store.close();
      expect(n).toBeGreaterThan(0);
      const countCell = cells.find((c) => joined(c.source).includes('AS n_trajectories'));
      const text = joined(countCell?.outputs?.find((o) => o.data?.['text/plain'])?.data?.['text/plain'] as string | string[]);
      const firstRow = text.split('\n')[2] ?? '';
      expect(Number(firstRow.trim().split(/\s+/)[0]), text).toBe(n);
    }
  });
});
