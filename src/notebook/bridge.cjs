/**
 * CommonJS door into the ESM library, for plain tslab (the ionsift kernel does not need it).
 * tslab compiles cells to CommonJS, where `import` of an ESM-only package (vega, vega-lite)
 * fails ("Cannot find module" / ERR_REQUIRE_ASYNC_MODULE) and a cell's own import() becomes
 * require(); a dynamic import() in a real CommonJS file works. Hand-written .cjs (not built
 * by tsc) so it works from a checkout as is; it loads the built dist/notebook/index.js.
 *
 * In a plain tslab notebook (two cells: tslab 1.0.22 misses the top-level await of
 * `await (require(…) as T).load()` and runs it as a plain script):
 *   import type * as ionsift from "/path/to/ionsift/dist/notebook/index.js";
 *   const bridge = require("/path/to/ionsift/src/notebook/bridge.cjs") as { load(): Promise<typeof ionsift> };
 *   ---
 *   const { open, sql, plot, display } = await bridge.load();
 */
'use strict';
const path = require('node:path');
const url = require('node:url');

/** Absolute path of the notebook entry (dist/notebook/index.js). */
const entry = path.resolve(__dirname, '..', '..', 'dist', 'notebook', 'index.js');
let loaded = null;

/** The notebook module, loaded once. */
function load() {
  if (!loaded) loaded = import(url.pathToFileURL(entry).href);
  return loaded;
}

module.exports = { entry, load };
