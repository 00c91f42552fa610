// One mapping of failed reads: zlib's own errors become a located ParseError; an I/O fault
// (EIO, EMFILE, …) is not a bad file and passes through unchanged.
import { describe, expect, it } from 'vitest';
import { streamError } from '../../src/io/gzip-error.js';
import { ParseError } from '../../src/io/errors.js';

function err(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('streamError', () => {
  it('maps zlib errors (corrupt, truncated) to a ParseError naming file and line', () => {
    const e = streamError(err('incorrect header check', 'Z_DATA_ERROR'), 'run.gz', true, 12);
    expect(e).toBeInstanceOf(ParseError);
    expect(e.message).toMatch(/run\.gz.*line 12|line 12.*run\.gz/s);
    expect(streamError(err('unexpected end of file'), 'run.gz', true, 3)).toBeInstanceOf(ParseError);
  });

  it('passes other errors through: I/O faults, missing files, plain (not gzip) files', () => {
    const io = err('EIO: i/o error, read', 'EIO');
    expect(streamError(io, 'run.gz', true, 1)).toBe(io);
    const missing = err('ENOENT: no such file', 'ENOENT');
    expect(streamError(missing, 'run.gz', true, 1)).toBe(missing);
    const z = err('incorrect header check', 'Z_DATA_ERROR');
    expect(streamError(z, 'run', false, 1)).toBe(z);
  });
});
