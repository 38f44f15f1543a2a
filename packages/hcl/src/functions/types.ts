import type { HclValue } from '../values.js';

/** What a function may use besides its arguments. Injected so that evaluation stays testable. */
export interface FunctionContext {
  /** File access, only when the caller allowed it (`allowFs`); undefined otherwise. */
  readonly fs?: {
    /** Directory of the jobspec; relative paths resolve against it. */
    readonly baseDir: string;
    readFile(path: string): Uint8Array;
    exists(path: string): boolean;
    glob(baseDir: string, pattern: string): string[];
  };
  /** Current time in milliseconds since the epoch (for timestamp()). */
  readonly now: () => number;
  /** Random bytes (for uuidv4, bcrypt salts). */
  readonly randomBytes: (n: number) => Uint8Array;
  /**
   * Accounts `steps` of work (about 1 µs each) against the file's evaluation budget; throws
   * LimitExceeded when it runs out. The evaluator supplies it; absent, work is not counted.
   */
  readonly charge?: (steps: number) => void;
}

/**
 * A function of jobspec2's library. Arguments are fully known values (never Deferred).
 * `variadic` collects the remaining arguments into the last parameter when set.
 * Throws FunctionError for bad arguments; the evaluator turns it into a positioned diagnostic.
 */
export interface HclFunction {
  readonly params: number;
  readonly variadic?: boolean;
  call(args: HclValue[], ctx: FunctionContext): HclValue;
}

/** A function's complaint about its arguments; `argIndex` points the caret at one argument. */
export class FunctionError extends Error {
  constructor(
    message: string,
    readonly argIndex?: number,
  ) {
    super(message);
  }
}
