import { constants } from 'node:os';

/** Signal number for a name such as `SIGTERM` or `TERM`; undefined when unknown. Pure. */
export function signalNumber(name: string): number | undefined {
  const key = (
    name.toUpperCase().startsWith('SIG') ? name.toUpperCase() : `SIG${name.toUpperCase()}`
  ) as NodeJS.Signals;
  return (constants.signals as Record<string, number | undefined>)[key];
}

/** Send `signal` to `pid` (negative: a process group), ignoring processes that are already gone. */
export function sendSignal(pid: number, signal: string | number): void {
  try {
    process.kill(pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
