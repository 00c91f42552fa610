/**
 * The one way a failed read of a text file becomes an error, for every reader: trouble in gzip
 * data (zlib's own errors: corrupt, truncated) is a ParseError naming the file and the line the
 * scanner stood at; anything else (a missing or unreadable file, an I/O error, errors already
 * typed) passes through as it is, so a passing I/O fault is not recorded as a bad file.
 */
import { ParseError } from './errors.js';

export function streamError(err: unknown, file: string, gzip: boolean, line: number): Error {
  if (err instanceof ParseError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown }).code;
  const zlib = (typeof code === 'string' && code.startsWith('Z_')) || /unexpected end of file/i.test(msg);
  if (gzip && zlib) {
    return new ParseError(`gzip data is corrupt or truncated (${msg}); expected a complete gzip stream`, { file, line });
  }
  return err instanceof Error ? err : new Error(msg);
}
