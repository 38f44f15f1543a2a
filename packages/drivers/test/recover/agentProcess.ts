// Stand-in for an agent: starts one task with the named driver, prints its handle as one JSON
// line, then idles until killed. Run with: node --conditions=source --import tsx agentProcess.ts
import { createTestTaskConfig } from '../../src/conformance/taskDirs.js';
import { createExecDriver } from '../../src/exec/execDriver.js';
import { createRawExecDriver } from '../../src/rawexec/rawExecDriver.js';

const [driverName, script] = process.argv.slice(2);
const driver = driverName === 'exec' ? createExecDriver() : createRawExecDriver({ enabled: true });
const task = await createTestTaskConfig({
  driverConfig: { command: '/bin/sh', args: ['-c', script ?? 'sleep 1000'] },
});
const { handle } = await driver.startTask(task.config);
process.stdout.write(JSON.stringify(handle) + '\n');
setInterval(() => undefined, 60_000);
