/**
 * Debian's Chromium driven by playwright-core (its own browser download cannot work here).
 * Tests skip with this reason only when /usr/bin/chromium is absent; CI installs it through
 * scripts/setup-system.sh, so CI runs them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';

export const CHROMIUM = process.env.IONSIFT_CHROMIUM ?? '/usr/bin/chromium';

export function browserSkipReason(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium, or run scripts/setup-system.sh)`;
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  // --no-sandbox: CI and the dev machines run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Screenshots go to out/screenshots (git-ignored), for people to look at after a run. */
export function screenshotPath(name: string): string {
  const dir = resolve(import.meta.dirname, '../../out/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Console errors, uncaught page errors and every request that tried to leave file://. */
export function watch(page: Page): { errors: string[]; network: string[] } {
  const errors: string[] = [];
  const network: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) network.push(r.url());
  });
  return { errors, network };
}

/** Per chart container: marks drawn and axis titles, read from the live SVG. */
export async function chartsIn(page: Page, selector: string): Promise<{ id: string; marks: number; axisTitles: string[]; svg: boolean }[]> {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      const svg = el.querySelector('svg');
      const marks = svg ? svg.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] rect, g[class*="mark-"] line, g[class*="mark-"] text').length : 0;
      const axisTitles = svg ? Array.from(svg.querySelectorAll('g.role-axis-title text')).map((t) => t.textContent ?? '') : [];
      return { id: el.id || el.getAttribute('data-kind') || '', marks, axisTitles, svg: !!svg || !!el.querySelector('canvas') };
    }),
  );
}
