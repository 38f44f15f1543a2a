import { describe, expect, it } from 'vitest';
import type { NodeDeviceResource } from '../../structs/node.js';
import { deviceConstraintHolds, deviceMatches, devicesAvailable } from './devices.js';

const gpu: NodeDeviceResource = {
  vendor: 'nvidia',
  type: 'gpu',
  name: '1080ti',
  instances: [
    { id: 'g0', healthy: true, healthDescription: '' },
    { id: 'g1', healthy: true, healthDescription: '' },
    { id: 'g2', healthy: false, healthDescription: 'ecc' },
  ],
  attributes: {
    memory: { int: 11, unit: 'GiB' },
    cuda_cores: { int: 3584, unit: '' },
    graphics_clock: { int: 1480, unit: 'MHz' },
  },
};

const req = (
  name: string,
  count = 1,
  constraints = [] as { ltarget: string; operand: string; rtarget: string }[],
) => ({
  name,
  count,
  constraints,
  affinities: [],
});

describe('device matching', () => {
  it('matches "type", "vendor/type" and "vendor/type/name"', () => {
    expect(deviceMatches(req('gpu'), gpu)).toBe(true);
    expect(deviceMatches(req('nvidia/gpu'), gpu)).toBe(true);
    expect(deviceMatches(req('nvidia/gpu/1080ti'), gpu)).toBe(true);
    expect(deviceMatches(req('amd/gpu'), gpu)).toBe(false);
    expect(deviceMatches(req('fpga'), gpu)).toBe(false);
  });
  it('compares attributes across units', () => {
    expect(
      deviceConstraintHolds({ ltarget: '${device.attr.memory}', operand: '>=', rtarget: '8 GiB' }, gpu),
    ).toBe(true);
    expect(
      deviceConstraintHolds({ ltarget: '${device.attr.memory}', operand: '>', rtarget: '12000 MiB' }, gpu),
    ).toBe(false);
    expect(
      deviceConstraintHolds(
        { ltarget: '${device.attr.graphics_clock}', operand: '>', rtarget: '1.4 GHz' },
        gpu,
      ),
    ).toBe(true);
    expect(
      deviceConstraintHolds({ ltarget: '${device.attr.cuda_cores}', operand: '>', rtarget: '3000' }, gpu),
    ).toBe(true);
    expect(deviceConstraintHolds({ ltarget: '${device.model}', operand: '=', rtarget: '1080ti' }, gpu)).toBe(
      true,
    );
    expect(
      deviceConstraintHolds({ ltarget: '${device.attr.missing}', operand: '=', rtarget: '1' }, gpu),
    ).toBe(false);
  });
  it('counts only healthy instances', () => {
    expect(devicesAvailable([req('gpu', 2)], [gpu])).toBe(true);
    expect(devicesAvailable([req('gpu', 3)], [gpu])).toBe(false);
    expect(
      devicesAvailable(
        [req('gpu', 1, [{ ltarget: '${device.attr.memory}', operand: '>=', rtarget: '16 GiB' }])],
        [gpu],
      ),
    ).toBe(false);
  });
});
