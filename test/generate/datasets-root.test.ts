// Regenerating the embedded datasets writes the material folders and manifest.json only:
// anything else under the root (datasets/real/, README.md) is left as it is.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDatasets } from '../../src/generate/datasets.js';
import { tempDir, testSpec } from './helpers.js';

describe('generateDatasets', () => {
  it('leaves real/ and other files of the root untouched', async () => {
    const root = tempDir('root');
    mkdirSync(join(root, 'real', 'case'), { recursive: true });
    writeFileSync(join(root, 'real', 'case', 'run1_XDATCAR.gz'), 'published bytes');
    writeFileSync(join(root, 'README.md'), 'notes');
    await generateDatasets(root, { materials: [testSpec({ nFrames: 60 })] });
    expect(readdirSync(root).sort()).toEqual(['README.md', 'manifest.json', 'real', 'test-sc']);
    expect(readdirSync(join(root, 'real', 'case'))).toEqual(['run1_XDATCAR.gz']);
    expect(readFileSync(join(root, 'real', 'case', 'run1_XDATCAR.gz'), 'utf8')).toBe('published bytes');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('notes');
  });
});
