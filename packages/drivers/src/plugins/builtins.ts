import type { DriverFactory } from '../driver.js';
import { createExecDriver } from '../exec/execDriver.js';
import { createJavaDriver } from '../java/javaDriver.js';
import { createRawExecDriver } from '../rawexec/rawExecDriver.js';

/**
 * Factories of the process drivers this package ships (raw_exec, exec, java), for
 * {@link loadDrivers}. Docker and qemu factories are added by their modules' owners.
 */
export const processDriverFactories: Record<string, DriverFactory> = {
  raw_exec: { name: 'raw_exec', create: (c) => createRawExecDriver(c) },
  exec: { name: 'exec', create: (c) => createExecDriver(c) },
  java: { name: 'java', create: (c) => createJavaDriver(c) },
};
