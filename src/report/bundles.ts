/**
 * The browser bundles of vega, vega-lite and vega-embed, read from node_modules so the report
 * carries them inline: it must open from a mail attachment with no network (no CDN).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The UMD builds, in load order (vega-embed expects the globals vega and vegaLite). */
const BUNDLES = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
] as const;

export interface Bundle {
  name: string;
  version: string;
  code: string;
}

/** The package's folder (its exports map hides package.json from require.resolve). */
function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  }
  throw new Error(`${name} is not installed (npm ci): the report inlines its browser bundle`);
}

let cached: Bundle[] | null = null;

export function vegaBundles(): Bundle[] {
  cached ??= BUNDLES.map(([name, file]) => {
    const dir = packageDir(name);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    return { name, version, code: readFileSync(join(dir, file), 'utf8') };
  });
  return cached;
}

/** Script text safe inside <script>…</script> (a literal "</script" would end the element). */
export function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
