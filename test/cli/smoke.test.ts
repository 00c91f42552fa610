import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

describe('cli', () => {
  it('rejects an unknown command with exit code 2', async () => {
    const code = await main(['no-such-command']);
    expect(code).toBe(2);
  });
});
