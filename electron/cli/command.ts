import type { Readable, Writable } from 'node:stream';
import type { ParseArgsConfig } from 'node:util';
import { NbgError } from '../../native/errors';
import { ErrorCode } from '../shared/error-codes';

/** Exit codes of `nbg`: 0 success, 1 operation failed, 2 usage error. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

export class UsageError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.USAGE, message);
  }
}

export interface CliIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandSpec {
  /** Words after `nbg`, e.g. ['keys', 'list']; its summary and usage are in the catalogue. */
  path: string[];
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Accept positionals (default false). */
  positionals?: boolean;
  run(args: { values: OptionValues; positionals: string[]; io: CliIo }): Promise<number>;
}
