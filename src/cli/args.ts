/**
 * What every sub-command needs from its argument list: strict parsing, number options checked
 * with one wording, and a usage error that `withUsage` turns into "ionsift <command>: …", the
 * command's help and exit code 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type CommandConfig<O extends OptionsConfig> = { args: string[]; allowPositionals: true; strict: true; options: O };
type Parsed<O extends OptionsConfig> = ReturnType<typeof parseArgs<CommandConfig<O>>>;

/** A mistake in the command line: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `parseArgs` with positionals allowed and unknown or ill-typed options as a UsageError. */
export function parseCommandArgs<const O extends OptionsConfig>(argv: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

/** A finite number > 0 from option `--name`, or undefined when the option is absent. */
export function positiveOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UsageError(`--${name} expects a positive number, got "${v}"`);
  return x;
}

/** An integer > 0 from option `--name`, or undefined when the option is absent. */
export function positiveIntegerOption(name: string, v: string | undefined): number | undefined {
  const x = positiveOption(name, v);
  if (x !== undefined && !Number.isInteger(x)) throw new UsageError(`--${name} expects a positive integer, got "${v}"`);
  return x;
}

/** A safe integer (any sign) from option `--name`, or undefined when the option is absent. */
export function integerOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isSafeInteger(x)) throw new UsageError(`--${name} expects an integer, got "${v}"`);
  return x;
}

/** The comma-separated words of a (repeatable) option, trimmed, empty ones dropped; undefined when absent. */
export function listOption(v: string | readonly string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (typeof v === 'string' ? [v] : v).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** A finite number from option `--name` (any sign), or undefined when the option is absent. */
export function numberOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${name} expects a number, got "${v}"`);
  return x;
}

/** A command's `run`: a UsageError thrown by `body` is printed with the help, exit code 2. */
export function withUsage(command: string, help: string, body: (argv: string[]) => Promise<number>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    try {
      return await body(argv);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      console.error(`ionsift ${command}: ${err.message}\n\n${help}`);
      return 2;
    }
  };
}
