/**
 * Linux capabilities for exec and java tasks, with Nomad's rules: the task gets Nomad's default
 * set limited by the plugin's `allow_caps`, minus `cap_drop`, plus `cap_add` (which must be
 * allowed). Names are accepted in any case, with or without the `CAP_` prefix.
 */
import type { ConfigError } from '../configSchema.js';

/** Nomad's default capability set for exec/java tasks (and the default `allow_caps`). */
export const NOMAD_DEFAULT_CAPS: readonly string[] = [
  'audit_write',
  'chown',
  'dac_override',
  'fowner',
  'fsetid',
  'kill',
  'mknod',
  'net_bind_service',
  'setfcap',
  'setgid',
  'setpcap',
  'setuid',
  'sys_chroot',
];

/** `CAP_NET_RAW` / `net_raw` → `net_raw`. Pure. */
export function normalizeCap(name: string): string {
  return name.trim().toLowerCase().replace(/^cap_/, '');
}

/** The task's capabilities, or an error naming the ones `cap_add` wants but `allow_caps` refuses. Pure. */
export function computeCapabilities(
  allowCaps: readonly string[],
  capAdd: readonly string[],
  capDrop: readonly string[],
  basis: readonly string[] = NOMAD_DEFAULT_CAPS,
): { caps: string[] } | { error: ConfigError } {
  const allow = new Set(allowCaps.map(normalizeCap));
  const allowAll = allow.has('all');
  const adds = capAdd.map(normalizeCap);
  const missing = adds.filter((c) => c !== 'all' && !allowAll && !allow.has(c));
  if (missing.length > 0 || (adds.includes('all') && !allowAll)) {
    const names = adds.includes('all') && !allowAll ? ['all', ...missing] : missing;
    const message = `config.cap_add: driver does not allow the following capabilities: ${names.join(', ')}`;
    return {
      error: {
        path: 'config.cap_add',
        expected: `a subset of allow_caps`,
        actual: names.join(', '),
        message,
      },
    };
  }
  const drops = new Set(capDrop.map(normalizeCap));
  let result = basis.map(normalizeCap).filter((c) => allowAll || allow.has(c));
  result = drops.has('all') ? [] : result.filter((c) => !drops.has(c));
  for (const c of adds) if (c !== 'all' && !result.includes(c)) result.push(c);
  if (adds.includes('all')) result = [...new Set([...result, ...allow])].filter((c) => c !== 'all');
  return { caps: result.sort() };
}

/** `setpriv` argument that limits the bounding set to `caps`. Pure. */
export function boundingSetArg(caps: readonly string[]): string {
  return `--bounding-set=${['-all', ...caps.map((c) => `+${c}`)].join(',')}`;
}
