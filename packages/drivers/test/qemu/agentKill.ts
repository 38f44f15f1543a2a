import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { TaskConfig, TaskHandle } from '../../src/driver.js';

const script = fileURLToPath(new URL('./agentProcess.ts', import.meta.url));

/**
 * Starts `task` from a separate Node process, waits for its handle, then SIGKILLs that process:
 * what an agent crash leaves behind is exactly the task and its persisted handle.
 */
export function startInDoomedAgent(driver: 'docker' | 'qemu', task: TaskConfig): Promise<TaskHandle> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', script, driver, JSON.stringify(task)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        const handle = JSON.parse(out.slice(0, nl)) as TaskHandle;
        child.once('exit', () => resolve(handle));
        child.kill('SIGKILL');
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('\n'))
        reject(new Error(`agent process exited (${code}) before starting the task: ${err}`));
    });
  });
}
