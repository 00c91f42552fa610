import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover, trajectoryIdOf } from '../../src/indexer/discover.js';
import { materialFromPath } from '../../src/indexer/process.js';
import { parseShard, shardDbPath, shardSlice } from '../../src/indexer/shard.js';
import { vanishedTrajectories } from '../../src/indexer/stage-plan.js';
import { pearson, ranks, spearman } from '../../src/stats/correlation.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-units-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('indexer helpers', () => {
  it('parses shards (1-based) and slices deterministically and completely', () => {
    expect(parseShard('1/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('5/4')).toThrow();
    expect(() => parseShard('0/4')).toThrow(/1\.\.n/);
    expect(() => parseShard('x')).toThrow(/i\/n/);
    const items = Array.from({ length: 11 }, (_, i) => i);
    const parts = [0, 1, 2].map((index) => shardSlice(items, { index, count: 3 }));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(items);
    expect(parts.map((p) => p.length)).toEqual([4, 4, 3]);
    expect(shardDbPath('/o', { index: 1, count: 3 })).toBe('/o/.shard-2-of-3.duckdb');
  });

  it('plans removals: only ids not discovered, with every path under an indexed root and none under an unreadable folder', () => {
    const stored = new Map<string, string[]>([
      ['seen', ['/d/a/x.extxyz']],
      ['gone', ['/d/b/x.extxyz', '/d/b/y.extxyz']],
      ['outside', ['/d/b/x.extxyz', '/e/x.extxyz']],
      ['prefix', ['/dd/x.extxyz']],
      ['blind', ['/d/c/x.extxyz']],
      ['sidecar', ['/d/s/x.extxyz']],
      ['empty', []],
    ]);
    const found = [{ trajectoryId: 'seen' }];
    const failures = [
      { path: '/d/c', message: 'unreadable' },
      { path: '/d/s/ionsift.json', message: 'bad sidecar' },
    ];
    expect(vanishedTrajectories(stored, ['/d'], found, failures)).toEqual(['gone']);
    expect(vanishedTrajectories(stored, ['/d', '/e'], found, [])).toEqual(['blind', 'gone', 'outside', 'sidecar']);
  });

  it('discovers temperature folders as separate trajectories and numbered runs as one', async () => {
    for (const T of ['600K', '800K']) {
      mkdirSync(join(root, 'Li3X', T), { recursive: true });
      writeFileSync(join(root, 'Li3X', T, 'XDATCAR'), 'x');
    }
    for (const r of ['run1', 'run2', 'run3']) {
      mkdirSync(join(root, 'LiY', r), { recursive: true });
      writeFileSync(join(root, 'LiY', r, 'XDATCAR'), 'x');
    }
    const { trajectories } = await discover([root]);
    const byDir = trajectories.map((t) => t.files.map((f) => f.slice(root.length + 1)));
    expect(byDir).toContainEqual(['Li3X/600K/XDATCAR']);
    expect(byDir).toContainEqual(['Li3X/800K/XDATCAR']);
    expect(byDir).toContainEqual(['LiY/run1/XDATCAR', 'LiY/run2/XDATCAR', 'LiY/run3/XDATCAR']);
    expect(trajectories.every((t) => t.trajectoryId === trajectoryIdOf(t.files))).toBe(true);
  });

  it('names materials from folders, skipping temperature/run folders', () => {
    expect(materialFromPath('/d/Li6PS5Cl/600K/XDATCAR')).toBe('Li6PS5Cl');
    expect(materialFromPath('/d/LGPS/run2/XDATCAR')).toBe('LGPS');
    expect(materialFromPath('/d/LGPS/XDATCAR')).toBe('LGPS');
  });

  it('Pearson and Spearman (ties averaged), counting only finite pairs', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    const x = [1, 2, 3, 4, null, 6];
    const y = [2, 4, 6, 8, 10, NaN];
    expect(pearson(x, y)).toEqual({ r: 1, n: 4 });
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64]).r).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1]).r).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3]).r).toBeNaN();
  });
});
