import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, SECOND } from '../util/duration.js';
import { canonicalizeJob } from './canonicalize.js';

const minimal = (type?: string) =>
  canonicalizeJob({
    id: 'web',
    ...(type ? { type } : {}),
    taskGroups: [{ name: 'g', tasks: [{ name: 't', driver: 'docker' }] }],
  });

describe('canonicalizeJob', () => {
  it('fills job-level defaults', () => {
    const j = minimal();
    expect(j).toMatchObject({
      type: 'service',
      priority: 50,
      region: 'global',
      namespace: 'default',
      datacenters: ['*'],
      name: 'web',
      nodePool: 'default',
    });
    expect(j.update).toEqual({
      stagger: 30 * SECOND,
      maxParallel: 1,
      healthCheck: 'checks',
      minHealthyTime: 10 * SECOND,
      healthyDeadline: 5 * MINUTE,
      progressDeadline: 10 * MINUTE,
      canary: 0,
      autoRevert: false,
      autoPromote: false,
    });
  });

  it('fills group and task defaults for a service job', () => {
    const g = minimal().taskGroups[0];
    expect(g?.count).toBe(1);
    expect(g?.ephemeralDisk).toEqual({ sticky: false, migrate: false, sizeMB: 300 });
    expect(g?.reschedulePolicy).toEqual({
      attempts: 0,
      interval: 0,
      delay: 30 * SECOND,
      delayFunction: 'exponential',
      maxDelay: HOUR,
      unlimited: true,
    });
    expect(g?.migrate).toEqual({
      maxParallel: 1,
      healthCheck: 'checks',
      minHealthyTime: 10 * SECOND,
      healthyDeadline: 5 * MINUTE,
    });
    expect(g?.restartPolicy).toEqual({
      attempts: 2,
      interval: 30 * MINUTE,
      delay: 15 * SECOND,
      mode: 'fail',
      renderTemplates: false,
    });
    const t = g?.tasks[0];
    expect(t?.resources).toMatchObject({ cpu: 100, cores: 0, memoryMB: 300, memoryMaxMB: 0 });
    expect(t?.killTimeout).toBe(5 * SECOND);
    expect(t?.logConfig).toEqual({ maxFiles: 10, maxFileSizeMB: 10, disabled: false });
    expect(t?.restartPolicy).toEqual(g?.restartPolicy);
  });

  it('uses batch defaults and no update / migrate for batch', () => {
    const j = minimal('batch');
    const g = j.taskGroups[0];
    expect(j.update).toBeUndefined();
    expect(g?.update).toBeUndefined();
    expect(g?.migrate).toBeUndefined();
    expect(g?.reschedulePolicy).toEqual({
      attempts: 1,
      interval: 24 * HOUR,
      delay: 5 * SECOND,
      delayFunction: 'constant',
      maxDelay: 0,
      unlimited: false,
    });
    expect(g?.restartPolicy).toMatchObject({
      attempts: 3,
      interval: 24 * HOUR,
      delay: 15 * SECOND,
      mode: 'fail',
    });
  });

  it('gives system and sysbatch no reschedule policy', () => {
    expect(minimal('system').taskGroups[0]?.reschedulePolicy).toBeUndefined();
    expect(minimal('sysbatch').taskGroups[0]?.reschedulePolicy).toBeUndefined();
    expect(minimal('system').update).toBeDefined();
  });

  it('merges job -> group -> task field by field', () => {
    const j = canonicalizeJob({
      id: 'x',
      update: { maxParallel: 3, canary: 1 },
      reschedule: { delay: 10 * SECOND },
      taskGroups: [
        {
          name: 'g',
          update: { canary: 2 },
          reschedulePolicy: { unlimited: false, attempts: 5, interval: HOUR },
          restartPolicy: { attempts: 7 },
          tasks: [{ name: 't', driver: 'exec', restartPolicy: { mode: 'delay' } }],
        },
      ],
    });
    const g = j.taskGroups[0];
    expect(g?.update).toMatchObject({ maxParallel: 3, canary: 2, stagger: 30 * SECOND });
    expect(g?.reschedulePolicy).toMatchObject({
      delay: 10 * SECOND,
      attempts: 5,
      interval: HOUR,
      delayFunction: 'exponential',
    });
    expect(g?.restartPolicy).toMatchObject({ attempts: 7, mode: 'fail', interval: 30 * MINUTE });
    expect(g?.tasks[0]?.restartPolicy).toMatchObject({ attempts: 7, mode: 'delay' });
  });

  it('takes count from scaling.min, cpu 0 with cores, weights 50, periodic UTC', () => {
    const j = canonicalizeJob({
      id: 'x',
      type: 'batch',
      periodic: { spec: '*/5 * * * *' },
      affinities: [{ ltarget: '${node.class}', rtarget: 'a' }],
      spreads: [{ attribute: '${node.datacenter}' }],
      taskGroups: [
        {
          name: 'g',
          scaling: { min: 3, max: 9 },
          tasks: [{ name: 't', driver: 'exec', resources: { cores: 2 } }],
        },
      ],
    });
    expect(j.taskGroups[0]?.count).toBe(3);
    expect(j.taskGroups[0]?.scaling).toMatchObject({ min: 3, max: 9, enabled: true, type: 'horizontal' });
    expect(j.taskGroups[0]?.tasks[0]?.resources.cpu).toBe(0);
    expect(j.affinities[0]?.weight).toBe(50);
    expect(j.affinities[0]?.operand).toBe('=');
    expect(j.spreads[0]?.weight).toBe(50);
    expect(j.periodic).toMatchObject({
      enabled: true,
      timeZone: 'UTC',
      specType: 'cron',
      prohibitOverlap: false,
    });
  });

  it('fills template, vault and service defaults', () => {
    const j = canonicalizeJob({
      id: 'web',
      taskGroups: [
        {
          name: 'g',
          services: [{ portLabel: 'http', checks: [{ type: 'http' }], checkRestart: { limit: 3 } }],
          tasks: [
            {
              name: 't',
              driver: 'docker',
              templates: [{ destPath: 'local/a', changeMode: 'signal' }],
              vault: { policies: ['p'] },
              services: [{}],
            },
          ],
        },
      ],
    });
    const g = j.taskGroups[0];
    expect(g?.services[0]).toMatchObject({
      name: 'web-g',
      provider: 'consul',
      addressMode: 'auto',
      onUpdate: 'require_healthy',
    });
    expect(g?.services[0]?.checks[0]?.checkRestart).toEqual({
      limit: 3,
      grace: SECOND,
      ignoreWarnings: false,
    });
    expect(g?.services[0]?.checks[0]?.onUpdate).toBe('require_healthy');
    const t = g?.tasks[0];
    expect(t?.services[0]?.name).toBe('web-g-t');
    expect(t?.templates[0]).toMatchObject({
      changeSignal: 'SIGHUP',
      splay: 5 * SECOND,
      perms: '0644',
      leftDelim: '{{',
      rightDelim: '}}',
    });
    expect(t?.vault).toMatchObject({
      env: true,
      changeMode: 'restart',
      changeSignal: 'SIGHUP',
      cluster: 'default',
    });
  });
});
