// Asserting on reader errors: type, the file and line/frame in the message, and what was expected.
import { expect } from 'vitest';
import type { IonsiftError } from '../../src/io/errors.js';

type ErrorClass = abstract new (...args: never[]) => IonsiftError;

/**
 * Asserts that `p` rejects with an error of class `cls` whose message names the file and the
 * given line and/or frame, and matches `pattern`.
 */
export async function expectReadError(
  p: Promise<unknown>,
  cls: ErrorClass,
  where: { file: string; line?: number; frame?: number },
  pattern: RegExp,
): Promise<IonsiftError> {
  let err: unknown = null;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected the read to fail').toBeInstanceOf(cls);
  const e = err as IonsiftError;
  expect(e.file).toBe(where.file);
  expect(e.message).toContain(where.file);
  if (where.line !== undefined) {
    expect(e.line).toBe(where.line);
    expect(e.message).toContain(`line ${where.line}`);
  }
  if (where.frame !== undefined) {
    expect(e.frame).toBe(where.frame);
    expect(e.message).toContain(`frame ${where.frame}`);
  }
  expect(e.message).toMatch(pattern);
  return e;
}
