import { describe, it } from 'vitest';
import { conformanceCases, shellScriptFor } from '../../src/index.js';
import { createRawExecDriver } from '../../src/rawexec/rawExecDriver.js';
import { assertNoProcesses } from '../helpers/leftovers.js';

describe('raw_exec conformance', () => {
  for (const c of conformanceCases({
    createDriver: () => createRawExecDriver({ enabled: true }),
    taskConfigFor: (b) => ({ command: '/bin/sh', args: ['-c', shellScriptFor(b)] }),
    invalidTaskConfig: { config: { args: 'not-a-list' }, path: 'config.command' },
    assertGone: assertNoProcesses,
  })) {
    it(c.name, c.run, c.timeoutMs);
  }
});
