// What the CLIs share about a command line: the two kinds of failure, node's
// parseArgs with its errors in Chinese, and zod issues as one line per option.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';

/** A problem with what the user typed: exit 2, nothing written. */
export class UsageError extends Error {}
/** A problem while working: exit 1. */
export class RunError extends Error {}

/** parseArgs (strict, positionals allowed), its refusals as UsageError in the user's words. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const name = /'(-{1,2}[^']+)'/.exec(err.message)?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`未知的选项 ${name}`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`选项 ${name.split(' ')[0]} 缺少取值`);
    throw new UsageError(err.message);
  }
}

/** zod's issues as the CLI prints them: `--option: message`, one a line. */
export const problemLines = (error: z.ZodError) =>
  error.issues.map((i) => (i.path.length > 0 ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('\n');
