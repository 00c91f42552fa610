// Shared helpers for the non-XDATCAR reader tests.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');
export const fx = (name: string): string => resolve(fixtures, name);

export { expectReadError } from '../helpers/errors.js';
