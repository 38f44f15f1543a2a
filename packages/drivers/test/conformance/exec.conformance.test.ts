import { describe, it } from 'vitest';
import { conformanceCases, shellScriptFor } from '../../src/index.js';
import { createExecDriver } from '../../src/exec/execDriver.js';
import { assertNoProcesses } from '../helpers/leftovers.js';

describe('exec conformance', () => {
  for (const c of conformanceCases({
    createDriver: () => createExecDriver(),
    taskConfigFor: (b) => ({ command: '/bin/sh', args: ['-c', shellScriptFor(b)] }),
    invalidTaskConfig: { config: { command: '/bin/true', pid_mode: 'shared' }, path: 'config.pid_mode' },
    assertGone: assertNoProcesses,
  })) {
    it(c.name, c.run, c.timeoutMs);
  }
});
