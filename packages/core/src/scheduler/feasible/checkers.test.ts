import { describe, expect, it } from 'vitest';
import { mockNode } from '../../simulate/mock.js';
import { driversHealthy, failedConstraint, hostVolumesAvailable } from './checkers.js';
import { datacenterMatches } from './readyNodes.js';
import { resolveTarget } from './resolveTarget.js';

describe('checkers', () => {
  const node = mockNode({ id: 'n1', datacenter: 'us-east-1a', nodeClass: 'gpu', meta: { rack: 'r1' } });
  node.drivers = {
    docker: { attributes: {}, detected: true, healthy: false, healthDescription: '', updateTime: 0 },
    exec: { attributes: {}, detected: true, healthy: true, healthDescription: '', updateTime: 0 },
  };
  node.hostVolumes = { data: { name: 'data', path: '/srv', readOnly: true, id: '' } };

  it('resolves interpolated targets', () => {
    expect(resolveTarget('${node.unique.id}', node)).toBe('n1');
    expect(resolveTarget('${node.class}', node)).toBe('gpu');
    expect(resolveTarget('${node.pool}', node)).toBe('default');
    expect(resolveTarget('${meta.rack}', node)).toBe('r1');
    expect(resolveTarget('${attr.kernel.name}', node)).toBe('linux');
    expect(resolveTarget('${attr.nope}', node)).toBeUndefined();
    expect(resolveTarget('${bogus}', node)).toBeUndefined();
    expect(resolveTarget('literal', node)).toBe('literal');
  });
  it('matches datacenters with globs', () => {
    expect(datacenterMatches(['us-east-*'], 'us-east-1a')).toBe(true);
    expect(datacenterMatches(['*'], 'x')).toBe(true);
    expect(datacenterMatches(['us-west-*', 'eu'], 'us-east-1a')).toBe(false);
  });
  it('needs drivers detected and healthy', () => {
    expect(driversHealthy(['exec'], node)).toBe(true);
    expect(driversHealthy(['docker'], node)).toBe(false);
    expect(driversHealthy(['qemu'], node)).toBe(false);
    // Without driver info, the driver.<name> attribute decides.
    expect(driversHealthy(['raw_exec'], node)).toBe(true);
  });
  it('reports the first failing constraint and skips distinct_*', () => {
    const c = [
      { ltarget: '${meta.rack}', operand: 'distinct_property', rtarget: '1' },
      { ltarget: '${meta.rack}', operand: '=', rtarget: 'r2' },
    ];
    expect(failedConstraint(c, node)).toBe(c[1]);
    expect(failedConstraint([c[0]!], node)).toBeUndefined();
  });
  it('host volumes must exist and be writable when asked to write', () => {
    const v = {
      name: 'd',
      type: 'host',
      source: 'data',
      readOnly: true,
      sticky: false,
      accessMode: '',
      attachmentMode: '',
      perAlloc: false,
    };
    expect(hostVolumesAvailable([v], node)).toBe(true);
    expect(hostVolumesAvailable([{ ...v, readOnly: false }], node)).toBe(false);
    expect(hostVolumesAvailable([{ ...v, source: 'other' }], node)).toBe(false);
  });
});
