import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTaskConfig } from '../../src/index.js';
import { createJavaDriver, javaArgv, validateJavaTaskConfig } from '../../src/java/javaDriver.js';
import { requireJava } from '../helpers/requireJava.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('java driver with a real JVM', () => {
  it('fingerprints the Java version, runtime, vm and vendor', async () => {
    await requireJava();
    const fp = await createJavaDriver().fingerprint();
    expect(fp.health).toBe('healthy');
    expect(fp.attributes['driver.java']).toBe('1');
    expect(fp.attributes['driver.java.version']).toMatch(/^\d+(\.\d+)*/);
    expect(fp.attributes['driver.java.runtime']).toMatch(/Runtime Environment/);
    expect(fp.attributes['driver.java.vm']).toMatch(/VM/);
    expect(fp.attributes['driver.java.vendor']).not.toBe('');
  });

  it('runs class + class_path inside the task root, and the JVM sees the cgroup memory limit', async () => {
    await requireJava();
    const driver = createJavaDriver();
    const task = await createTestTaskConfig({
      driverConfig: {
        class: 'Conformance',
        class_path: 'local',
        jvm_options: ['-XX:+UseSerialGC'],
        args: ['props', 'a', 'b'],
      },
      memoryMB: 256,
    });
    cleanups.push(() => task.cleanup());
    await copyFile(
      join(fixtures, 'Conformance.class'),
      join(task.config.taskDir, 'local', 'Conformance.class'),
    );
    const { handle } = await driver.startTask(task.config);
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    const exit = await driver.waitTask(handle.config.id);
    const out = await readFile(task.config.stdoutPath, 'utf8');
    expect(exit.exitCode, out + (await readFile(task.config.stderrPath, 'utf8'))).toBe(0);
    expect(out).toContain('args=a,b');
    expect(out).toContain('user.dir=/\n');
    // The JVM's default heap is a quarter of the container limit it detects from the cgroup.
    const maxMemory = Number(/maxMemory=(\d+)/.exec(out)?.[1]);
    expect(maxMemory).toBeGreaterThan(0);
    expect(maxMemory).toBeLessThanOrEqual(256 * 1024 * 1024);
  });

  it('needs jar_path or class, and builds the command line in Nomad order', () => {
    expect(validateJavaTaskConfig({ args: ['x'] })).toMatchObject([{ path: 'config.jar_path' }]);
    expect(validateJavaTaskConfig({ jar_path: 'a.jar', jvm_options: '-Xmx1g' })).toMatchObject([
      { path: 'config.jvm_options', expected: 'a list of strings' },
    ]);
    expect(
      javaArgv({ jar_path: 'local/a.jar', class_path: 'lib', jvm_options: ['-Xmx64m'], args: ['x'] }),
    ).toEqual(['java', '-Xmx64m', '-cp', 'lib', '-jar', 'local/a.jar', 'x']);
  });
});

describe('java driver sandbox (exec isolation, pivot_root)', () => {
  it('a JVM task reads neither host files nor the host root through /proc/1/root', async () => {
    await requireJava();
    const hostDir = await mkdtemp(join(tmpdir(), 'tsnomad-java-escape-'));
    cleanups.push(() => rm(hostDir, { recursive: true, force: true }));
    const secret = `java-host-secret-${process.pid}`;
    await writeFile(join(hostDir, 'secret'), secret);
    // sys_ptrace added, so only the pivot (not a ptrace check) keeps /proc/1/root in the task root.
    const driver = createJavaDriver({ allow_caps: ['all'] });
    const task = await createTestTaskConfig({
      driverConfig: {
        class: 'Conformance',
        class_path: 'local',
        jvm_options: ['-XX:+UseSerialGC', '-Xmx32m'],
        args: ['read', `${hostDir}/secret`, `/proc/1/root${hostDir}/secret`, '/proc/1/root/local/marker'],
        cap_add: ['sys_ptrace'],
      },
      memoryMB: 256,
    });
    cleanups.push(() => task.cleanup());
    await copyFile(
      join(fixtures, 'Conformance.class'),
      join(task.config.taskDir, 'local', 'Conformance.class'),
    );
    await writeFile(join(task.config.taskDir, 'local', 'marker'), 'inside the task root\n');
    const { handle } = await driver.startTask(task.config);
    cleanups.push(() => driver.destroyTask(handle.config.id, true));
    await driver.waitTask(handle.config.id);
    const out = await readFile(task.config.stdoutPath, 'utf8');
    expect(out).toContain(`read ${hostDir}/secret failed`);
    expect(out).toContain(`read /proc/1/root${hostDir}/secret failed`);
    // /proc/1/root is the task root: the task's own files are there.
    expect(out).toContain('read /proc/1/root/local/marker = inside the task root');
    expect(out).not.toContain(secret);
  });
});
