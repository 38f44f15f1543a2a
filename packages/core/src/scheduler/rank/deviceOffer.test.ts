import { describe, expect, it } from 'vitest';
import type { Affinity, RequestedDevice } from '../../jobspec/types.js';
import type { NodeDeviceResource } from '../../structs/node.js';
import { deviceAffinityScore, deviceOffer } from './deviceOffer.js';

// Nomad's mock NvidiaNode device and the second group of its multipleNvidiaNode.
const gpu1080: NodeDeviceResource = {
  vendor: 'nvidia',
  type: 'gpu',
  name: '1080ti',
  attributes: {
    memory: { int: 11, unit: 'GiB' },
    cuda_cores: { int: 3584, unit: '' },
    graphics_clock: { int: 1480, unit: 'MHz' },
    memory_bandwidth: { int: 11, unit: 'GB/s' },
  },
  instances: [
    { id: 'a0', healthy: true, healthDescription: '' },
    { id: 'a1', healthy: true, healthDescription: '' },
  ],
};
const gpu2080: NodeDeviceResource = {
  vendor: 'nvidia',
  type: 'gpu',
  name: '2080ti',
  attributes: {
    memory: { int: 11, unit: 'GiB' },
    cuda_cores: { int: 4352, unit: '' },
    graphics_clock: { int: 1350, unit: 'MHz' },
    memory_bandwidth: { int: 14, unit: 'GB/s' },
  },
  instances: [
    { id: 'b0', healthy: true, healthDescription: '' },
    { id: 'b1', healthy: true, healthDescription: '' },
  ],
};
const devices = [gpu1080, gpu2080];
const aff = (ltarget: string, operand: string, rtarget: string, weight: number): Affinity => ({
  ltarget,
  operand,
  rtarget,
  weight,
});
const req = (name: string, affinities: Affinity[], count = 1): RequestedDevice => ({
  name,
  count,
  constraints: [],
  affinities,
});

describe('deviceOffer (Nomad createOffer cases)', () => {
  it('picks the group matching a positive affinity', () => {
    const o = deviceOffer(
      req('gpu', [aff('${device.attr.cuda_cores}', '>', '4000', 60)]),
      devices,
      new Set(),
    );
    expect(o?.device.name).toBe('2080ti');
    expect(o?.matchedWeight).toBe(60);
    expect(o?.instanceIds).toEqual(['b0']);
  });

  it('a lower weight still decides', () => {
    const o = deviceOffer(
      req('gpu', [aff('${device.attr.cuda_cores}', '<', '4000', 10)]),
      devices,
      new Set(),
    );
    expect(o?.device.name).toBe('1080ti');
    expect(o?.matchedWeight).toBe(10);
  });

  it('a negative affinity avoids the matching group (score 0 for the other)', () => {
    const o = deviceOffer(
      req('gpu', [aff('${device.attr.cuda_cores}', '>', '4000', -20)]),
      devices,
      new Set(),
    );
    expect(o?.device.name).toBe('1080ti');
    expect(o?.matchedWeight).toBe(0);
  });

  it('sums the weights that match, comparing units (130 of 130 vs 40 of 130)', () => {
    const o = deviceOffer(
      req('nvidia/gpu', [
        aff('${device.attr.memory_bandwidth}', '>', '10 GB/s', 20),
        aff('${device.attr.memory}', 'is', '11264 MiB', 20),
        aff('${device.attr.graphics_clock}', '>', '1.4 GHz', 90),
      ]),
      devices,
      new Set(),
    );
    expect(o?.device.name).toBe('1080ti');
    expect(o?.matchedWeight).toBe(130);
  });

  it('skips groups without enough free healthy instances', () => {
    const taken = new Set(['nvidia/gpu/2080ti/b0']);
    const o = deviceOffer(req('gpu', [aff('${device.attr.cuda_cores}', '>', '4000', 60)], 2), devices, taken);
    expect(o?.device.name).toBe('1080ti');
    expect(o?.matchedWeight).toBe(0);
    expect(deviceOffer(req('gpu', [], 3), devices, new Set())).toBeUndefined();
  });
});

describe('deviceAffinityScore', () => {
  it('Σ matched / Σ |weights| over the requests with affinities', () => {
    const a = req('gpu', [aff('x', '=', 'x', 60), aff('y', '=', 'y', -20)]);
    const b = req('fpga', [aff('z', '=', 'z', 20)]);
    const none = req('nic', []);
    // matched 60 on a, 20 on b: (60 + 20) / (60 + 20 + 20) = 0.8.
    expect(deviceAffinityScore([a, none, b], [60, 0, 20])).toBeCloseTo(0.8, 12);
    // a negative match pulls it below zero: (-20) / 80.
    expect(deviceAffinityScore([a], [-20])).toBeCloseTo(-0.25, 12);
    expect(deviceAffinityScore([none], [0])).toBeUndefined();
  });
});
