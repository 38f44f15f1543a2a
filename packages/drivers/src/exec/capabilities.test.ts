import { describe, expect, it } from 'vitest';
import { boundingSetArg, computeCapabilities, NOMAD_DEFAULT_CAPS } from './capabilities.js';

describe('computeCapabilities', () => {
  it("gives Nomad's defaults when nothing is added or dropped", () => {
    expect(computeCapabilities(NOMAD_DEFAULT_CAPS, [], [])).toEqual({ caps: [...NOMAD_DEFAULT_CAPS].sort() });
  });

  it('drops, then adds back (cap_add wins), accepting CAP_ prefixes in any case', () => {
    expect(computeCapabilities(NOMAD_DEFAULT_CAPS, ['CAP_KILL', 'chown'], ['all'])).toEqual({
      caps: ['chown', 'kill'],
    });
    const r = computeCapabilities(NOMAD_DEFAULT_CAPS, [], ['MKNOD', 'cap_setfcap']);
    expect('caps' in r && r.caps.includes('mknod')).toBe(false);
    expect('caps' in r && r.caps.length).toBe(NOMAD_DEFAULT_CAPS.length - 2);
  });

  it('allow_caps limits the defaults and what cap_add may ask for', () => {
    expect(computeCapabilities(['chown', 'kill', 'net_raw'], [], [])).toEqual({ caps: ['chown', 'kill'] });
    expect(computeCapabilities(['chown', 'kill', 'net_raw'], ['net_raw'], [])).toEqual({
      caps: ['chown', 'kill', 'net_raw'],
    });
    expect(computeCapabilities(NOMAD_DEFAULT_CAPS, ['net_raw', 'sys_admin'], [])).toMatchObject({
      error: {
        path: 'config.cap_add',
        message: 'config.cap_add: driver does not allow the following capabilities: net_raw, sys_admin',
      },
    });
    expect(computeCapabilities(['all'], ['sys_admin'], [])).toMatchObject({
      caps: expect.arrayContaining(['sys_admin']),
    });
  });

  it('renders a setpriv bounding set', () => {
    expect(boundingSetArg(['chown', 'kill'])).toBe('--bounding-set=-all,+chown,+kill');
  });
});
