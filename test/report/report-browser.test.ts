/**
 * The HTML report in a real browser (Debian's Chromium through playwright-core), offline:
 * every chart draws with marks and axis titles carrying units, no console error, no request
 * leaves file://, and with scripts off the <noscript> SVGs are there instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { buildReport, type Report } from '../../src/report/build.js';
import { makeFixtureDb, FIXTURE_TRAJECTORIES } from '../plots/fixture.js';
import { browserSkipReason, chartsIn, launch, screenshotPath, watch } from '../helpers/browser.js';

const reason = browserSkipReason();
if (reason) console.warn(`skipping report browser tests: ${reason}`);

describe.skipIf(reason !== null)('the HTML report in Chromium', () => {
  let dir: string;
  let file: string;
  let report: Report;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ionsift-report-'));
    const db = join(dir, 'fixture.duckdb');
    await makeFixtureDb(db);
    const store = await Store.open(db, { readOnly: true });
    try {
      report = await buildReport((s) => store.query(s) as Promise<Record<string, unknown>[]>, { database: db });
    } finally {
      store.close();
    }
    file = join(dir, 'report.html');
    writeFileSync(file, report.html);
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every chart and no CDN reference', () => {
    // Screening ×2, Arrhenius, descriptor, n-body, and an MSD and a timeline per trajectory.
    expect(report.charts).toBe(5 + 2 * FIXTURE_TRAJECTORIES);
    expect(report.errors).toEqual([]);
    expect(report.html).not.toMatch(/<script[^>]+src=/);
    expect(report.html).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);
    expect(report.html).toContain('tracer D at 300 K, extrapolated from the Arrhenius fit (cm²/s)');
    expect(report.html).toContain('highest measured tracer D (cm²/s)');
  });

  it('draws every chart offline with marks, unit-bearing axis titles and no console error', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts-rendered]', { timeout: 60_000 });
    const charts = await chartsIn(page, 'figure.chart .vega');
    expect(charts.length).toBe(report.charts);
    for (const c of charts) {
      expect(c.svg, c.id).toBe(true);
      expect(c.marks, c.id).toBeGreaterThan(0);
      expect(c.axisTitles.length, c.id).toBeGreaterThan(0);
      expect(c.axisTitles.some((t) => /\((ps|cm²\/s|Å²|1\/K|1\/ps|n)\)/.test(t)), `${c.id}: ${c.axisTitles.join(' | ')}`).toBe(true);
    }
    expect(seen.errors).toEqual([]);
    expect(seen.network).toEqual([]);
    await page.screenshot({ path: screenshotPath('report.png'), fullPage: false });
    await context.close();
  }, 120_000);

  it('shows the static SVGs with scripts off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(pathToFileURL(file).href);
    const svgs = await page.$$eval('figure.chart svg', (els) => els.map((e) => e.getBoundingClientRect().height));
    expect(svgs.length).toBe(report.charts);
    expect(svgs.every((h) => h > 50)).toBe(true);
    expect(seen.errors).toEqual([]);
    await page.screenshot({ path: screenshotPath('report-noscript.png') });
    await context.close();
  }, 60_000);
});
