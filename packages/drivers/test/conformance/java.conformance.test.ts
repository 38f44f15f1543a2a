import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { conformanceCases, type TaskConfig } from '../../src/index.js';
import { createJavaDriver } from '../../src/java/javaDriver.js';
import { assertNoProcesses } from '../helpers/leftovers.js';
import { requireJava } from '../helpers/requireJava.js';

const fixture = fileURLToPath(new URL('../java/fixtures/conformance.jar', import.meta.url));
const fast = ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx32m'];

describe('java conformance (real JVM)', () => {
  it('has a JVM on this machine', requireJava);
  for (const c of conformanceCases({
    createDriver: () => createJavaDriver(),
    taskConfigFor: (b) => ({
      jar_path: 'local/conformance.jar',
      jvm_options: fast,
      args:
        b.kind === 'exit'
          ? ['exit', String(b.code)]
          : b.kind === 'trap'
            ? ['trap', b.signal, String(b.code)]
            : [b.kind],
    }),
    adjustTaskConfig: async (cfg: TaskConfig) => {
      // The jar must be inside the task dir, where the task root can see it.
      await copyFile(fixture, join(cfg.taskDir, 'local', 'conformance.jar'));
      return { ...cfg, resources: { ...cfg.resources, memoryMB: 256 } };
    },
    invalidTaskConfig: { config: { args: ['x'] }, path: 'config.jar_path' },
    assertGone: assertNoProcesses,
    slackMs: 10_000,
  })) {
    it(c.name, c.run, c.timeoutMs);
  }
});
