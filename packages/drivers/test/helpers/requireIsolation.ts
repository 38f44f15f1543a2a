import { isolationUnavailable } from '../../src/exec/execDriver.js';

/** Fail loudly (not skip) when this host cannot isolate exec tasks (not root, no cgroups, no util-linux). */
export async function requireIsolation(): Promise<void> {
  const why = await isolationUnavailable();
  if (why) throw new Error(`exec isolation is unavailable here: ${why} (the exec tests need it)`);
}
