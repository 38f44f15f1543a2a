/**
 * The task behaviours the conformance suite needs. A driver under test maps each one to its own
 * `config` block; {@link shellScriptFor} gives a POSIX sh script for drivers that can run a shell.
 */
export type ConformanceBehaviour =
  /** Write `hello` to stdout and `oops` to stderr, then exit with `code`. */
  | { kind: 'exit'; code: number }
  /** Run until stopped. */
  | { kind: 'sleep' }
  /** Run until `signal` arrives, then exit with `code`. */
  | { kind: 'trap'; signal: string; code: number }
  /** Ignore SIGTERM and SIGINT, so only SIGKILL after kill_timeout ends it. */
  | { kind: 'ignore' }
  /** Start two background children and run until stopped (tests that the whole tree dies). */
  | { kind: 'tree' };

/**
 * A POSIX sh script with the given behaviour (run as `sh -c <script>`). Pure.
 *
 * @example
 * shellScriptFor({ kind: 'exit', code: 3 }) // 'echo hello; echo oops >&2; exit 3'
 */
export function shellScriptFor(b: ConformanceBehaviour): string {
  // Short sleeps in a loop so the shell runs its traps promptly.
  const loop = 'while true; do sleep 0.1; done';
  switch (b.kind) {
    case 'exit':
      return `echo hello; echo oops >&2; exit ${b.code}`;
    case 'sleep':
      return `echo started; ${loop}`;
    case 'trap':
      return `trap 'echo got ${b.signal}; exit ${b.code}' ${b.signal.replace(/^SIG/, '')}; echo started; ${loop}`;
    case 'ignore':
      return `trap '' TERM INT; echo started; ${loop}`;
    case 'tree':
      return `sleep 1000 & sleep 1000 & echo started; ${loop}`;
  }
}
