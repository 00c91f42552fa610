// The malformed-input corpus (test/fixtures/bad): every file raises a typed error that names the
// file and the line or frame, and says what was expected.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { loadTrajectory } from '../../src/io/load.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { expectReadError } from '../helpers/errors.js';
import { ConsistencyError, FormatError, IonsiftError, MetadataError, ParseError } from '../../src/io/errors.js';

const bad = (name: string) => resolve(import.meta.dirname, '../fixtures/bad', name);

type Case = [file: string, type: typeof IonsiftError, where: { line?: number; frame?: number; file?: string }, says: RegExp];

const CASES: Case[] = [
  ['empty.XDATCAR', ParseError, { line: 1 }, /file is empty; expected an XDATCAR header/],
  ['only_blank_lines.XDATCAR', ParseError, { line: 1 }, /only blank lines; expected an XDATCAR header/],
  ['binary_garbage.XDATCAR', ParseError, { line: 1 }, /binary data.*expected an XDATCAR title/],
  ['header_truncated.XDATCAR', ParseError, { line: 5 }, /ends inside the header; expected lattice vector c/],
  ['header_only.XDATCAR', ParseError, { line: 9, frame: 0 }, /ends in the middle of frame 0 after 0 of 4.*expected 4 lines/],
  ['counts_too_few_lines.XDATCAR', ParseError, { line: 12, frame: 0 }, /only 3 coordinate lines but the counts line says 4.*expected 4 lines, found "Direct configuration/],
  ['counts_too_many_lines.XDATCAR', ParseError, { line: 13, frame: 0 }, /more coordinate lines than the counts line says.*expected "Direct configuration= 2" or a new header/],
  ['nan.XDATCAR', ParseError, { line: 15, frame: 1 }, /expected three numbers on coordinate line 2 of 4 in frame 1, found "NaN" \(NaN\/Inf/],
  ['inf.XDATCAR', ParseError, { line: 11, frame: 0 }, /expected three numbers.*found "Infinity" \(NaN\/Inf/],
  ['minus_inf.XDATCAR', ParseError, { line: 11, frame: 0 }, /expected three numbers.*found "-inf"/],
  ['non_numeric_token.XDATCAR', ParseError, { line: 10, frame: 0 }, /expected three numbers on coordinate line 2 of 4.*found "abc"/],
  ['garbage_after_number.XDATCAR', ParseError, { line: 11, frame: 0 }, /expected three numbers.*found "0.8x"/],
  ['fortran_overflow.XDATCAR', ParseError, { line: 12, frame: 0 }, /expected three numbers.*\(Fortran overflow\)/],
  ['exponent_overflow.XDATCAR', ParseError, { line: 10, frame: 0 }, /expected three finite numbers.*out of range/],
  ['two_numbers_on_line.XDATCAR', ParseError, { line: 10, frame: 0 }, /expected three numbers.*found 2/],
  ['blank_line_in_frame.XDATCAR', ParseError, { line: 10, frame: 0 }, /blank line inside frame 0 after 1 of 4.*expected 4 lines/],
  ['zero_volume.XDATCAR', ParseError, { line: 3 }, /zero volume.*expected three linearly independent vectors/],
  ['zero_lattice_row.XDATCAR', ParseError, { line: 3 }, /zero volume.*expected three linearly independent/],
  ['nan_lattice.XDATCAR', ParseError, { line: 4 }, /expected lattice vector b.*NaN\/Inf/],
  ['two_lattice_rows.XDATCAR', ParseError, { line: 5 }, /expected lattice vector c \(three numbers; a header has 3 lattice rows\), found "Li S"/],
  ['lattice_row_four_numbers.XDATCAR', ParseError, { line: 4 }, /expected lattice vector b \(three numbers/],
  ['bad_scale.XDATCAR', ParseError, { line: 2 }, /expected the scale factor.*found "one"/],
  ['zero_scale.XDATCAR', ParseError, { line: 2 }, /scale factor is 0; expected a positive factor or a negative target volume/],
  ['negative_counts.XDATCAR', ParseError, { line: 7 }, /expected positive atom counts, found -2/],
  ['elements_counts_mismatch.XDATCAR', ParseError, { line: 7 }, /3 elements.*2 numbers; expected one count per element/],
  ['missing_config_line.XDATCAR', ParseError, { line: 8, frame: 0 }, /expected "Direct configuration= N" or "Cartesian"/],
  ['vasp4_no_elements.XDATCAR', MetadataError, { line: 6 }, /no element line.*expected 2 element names.*POTCAR or OUTCAR.*"elements".*--elements/],
  ['header_species_changed.XDATCAR', ConsistencyError, { line: 13, frame: 1 }, /header repeated with different species.*\(Na 2, S 2\); expected the same as the first header \(Li 2, S 2\)/],
  ['header_counts_changed.XDATCAR', ConsistencyError, { line: 13, frame: 1 }, /different species\/counts \(Li 3, S 1\); expected/],
  ['truncated.XDATCAR.gz', ParseError, {}, /gzip data is corrupt or truncated.*expected a complete gzip stream/],
  ['corrupt.XDATCAR.gz', ParseError, {}, /gzip data is corrupt or truncated.*expected a complete gzip stream/],
  ['not_a_trajectory.dat', FormatError, {}, /unrecognised trajectory format; expected one of xdatcar/],
  ['sidecar_unknown_key', ParseError, { file: 'sidecar_unknown_key/ionsift.json', line: 3 }, /unknown key "potim" in the top level; expected one of: .*potim_fs/],
  ['sidecar_bad_json', ParseError, { file: 'sidecar_bad_json/ionsift.json', line: 4 }, /not valid JSON.*expected an object/],
  ['sidecar_bad_value', ParseError, { file: 'sidecar_bad_value/ionsift.json', line: 3 }, /"temperature_k" in trajectories\[0\] must be a positive number, found "hot"/],
  ['run_species_mismatch', ConsistencyError, { file: 'run_species_mismatch/run2_XDATCAR', frame: 0 }, /\(Na 2, S 2\) differ from .*run1_XDATCAR \(Li 2, S 2\); expected the files of one run/],
  ['run_cell_mismatch', ConsistencyError, { file: 'run_cell_mismatch/run2_XDATCAR', frame: 0 }, /cell .* differs from .*run1_XDATCAR.*expected the same cell/],
];

const DROPPED: Record<string, { frames: number; line: number; says: RegExp; strict: RegExp }> = {
  'truncated_mid_frame.XDATCAR': {
    frames: 1, line: 16, says: /truncated_mid_frame\.XDATCAR: frame 1 is incomplete: the file ends inside it \(line 16\); the incomplete frame was dropped, 1 complete frames kept/,
    strict: /ends in the middle of frame 1 after 2 of 4.*expected 4 lines \(Li 2, S 2\).*Pass allowTruncated to keep the 1 complete frames/,
  },
};

describe('malformed input corpus', () => {
  it('has at least 20 files and a case for every one', () => {
    const files = readdirSync(resolve(import.meta.dirname, '../fixtures/bad')).filter((f) => f !== 'README.md');
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(new Set([...CASES.map((c) => c[0]), ...Object.keys(DROPPED)])).toEqual(new Set(files));
  });

  // A killed run: the complete frames are kept and the cut one dropped with a warning naming it;
  // strict reading (allowTruncated: false) makes it the error.
  it.each(Object.entries(DROPPED))('%s → complete frames and a warning; strict → ParseError', async (file, d) => {
    const t = await loadTrajectory(bad(file));
    expect(t.nFrames).toBe(d.frames);
    expect(t.warnings.join('\n')).toMatch(d.says);
    await expectReadError(readXdatcar(bad(file), { allowTruncated: false }), ParseError, { file: bad(file), line: d.line, frame: d.frames }, d.strict);
  });

  it.each(CASES)('%s → %o', async (file, type, where, says) => {
    const e = await expectReadError(loadTrajectory(bad(file)), type, { file: bad(where.file ?? file), line: where.line, frame: where.frame }, /expected/);
    if (where.line === undefined && where.frame === undefined && type === ParseError) expect(e.line).toBeGreaterThan(0);
    expect(e.message).toMatch(says);
  });
});
