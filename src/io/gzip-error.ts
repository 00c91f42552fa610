/**
 * The one way a failed read of a text file becomes an error, for every reader: trouble in gzip
 * data (corrupt, truncated) is a ParseError naming the file and the line the scanner stood at;
 * a missing or unreadable file, and errors already typed, pass through as they are.
 */
import { ParseError } from './errors.js';

export function streamError(err: unknown, file: string, gzip: boolean, line: number): Error {
  if (err instanceof ParseError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (gzip && !/ENOENT|EACCES|EISDIR/.test(msg)) {
    return new ParseError(`gzip data is corrupt or truncated (${msg}); expected a complete gzip stream`, { file, line });
  }
  return err instanceof Error ? err : new Error(msg);
}
