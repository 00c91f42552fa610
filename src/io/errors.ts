/**
 * Typed errors for everything that reads files. Every error names the file and, where it
 * applies, the 1-based line and/or 0-based frame, and says what was expected, so that an
 * index run can record it in `failures` and a user can find the spot.
 */
export interface ErrorLocation {
  /** Path of the file the problem is in. */
  file: string;
  /** 1-based line number in the (decompressed) text, when known. */
  line?: number;
  /** 0-based frame index, when known. */
  frame?: number;
}

export class IonsiftError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly frame?: number;
  constructor(message: string, loc: ErrorLocation) {
    const where = [loc.file, loc.line !== undefined ? `line ${loc.line}` : null, loc.frame !== undefined ? `frame ${loc.frame}` : null]
      .filter((x): x is string => x !== null)
      .join(', ');
    super(`${where}: ${message}`);
    this.name = new.target.name;
    this.file = loc.file;
    this.line = loc.line;
    this.frame = loc.frame;
  }
}

/** The file's bytes do not follow the format (truncated, non-numeric, wrong counts, NaN…). */
export class ParseError extends IonsiftError {}

/** Metadata needed for the analysis (frame interval, temperature…) is missing or inconsistent. */
export class MetadataError extends IonsiftError {}

/** Several files of one run do not fit together (cell, species, discontinuity when strict). */
export class ConsistencyError extends IonsiftError {}

/** The file format could not be recognised. */
export class FormatError extends IonsiftError {}

/**
 * Reading the file would exceed a resource budget (memory a header claims, more atoms than the
 * file can hold, a non-regular file, an inflated size): refused before allocating or reading.
 */
export class ResourceError extends IonsiftError {}
