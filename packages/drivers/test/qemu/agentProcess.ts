/**
 * A stand-in agent for kill-and-recover tests: starts one task with the named driver, prints the
 * task handle as one JSON line, then idles until it is killed (SIGKILL, no cleanup of any kind).
 * Run: node --conditions=source --import tsx agentProcess.ts <docker|qemu> '<TaskConfig JSON>'
 */
import { createDockerDriver } from '../../src/docker/dockerDriver.js';
import type { TaskConfig, TaskDriver } from '../../src/driver.js';
import { createQemuDriver } from '../../src/qemu/qemuDriver.js';

const [, , driverName, configJson] = process.argv;
const driver: TaskDriver = driverName === 'docker' ? createDockerDriver() : createQemuDriver();
const { handle } = await driver.startTask(JSON.parse(configJson ?? '{}') as TaskConfig);
process.stdout.write(`${JSON.stringify(handle)}\n`);
setInterval(() => undefined, 60_000);
