/**
 * Namespaces (Nomad's `nomad namespace apply / delete`): jobs and CSI volumes may only live in a
 * namespace that exists; `default` always does. Stored in the `namespaces` table as
 * `{ key: name, value: Namespace }`.
 */
import { BUILTIN_DEFAULT_NAMESPACE, namespaceOf, type Namespace } from '../structs/namespace.js';
import type { NamespaceDeleteCommand, NamespaceUpsertCommand } from './commands.js';
import type { StateWriters } from './stateSnapshot.js';

const VALID_NAME = /^[a-zA-Z0-9-]{1,128}$/;
const MAX_DESCRIPTION = 256;

/** Nomad's validation of a namespace, every problem joined, or undefined. Pure. */
export function namespaceValidationError(ns: {
  readonly name: string;
  readonly description?: string | undefined;
}): string | undefined {
  const problems: string[] = [];
  if (!VALID_NAME.test(ns.name))
    problems.push(`invalid name ${JSON.stringify(ns.name)}. Must match regex ${VALID_NAME.source}`);
  if ((ns.description ?? '').length > MAX_DESCRIPTION)
    problems.push(`description longer than ${MAX_DESCRIPTION}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** Applies NamespaceUpsert: validates all first, then writes. Returns the refusal, if any. */
export function namespaceUpsert(
  w: StateWriters,
  index: number,
  c: NamespaceUpsertCommand,
): string | undefined {
  for (const ns of c.namespaces) {
    const invalid = namespaceValidationError(ns);
    if (invalid) return invalid;
  }
  for (const ns of c.namespaces) {
    const old = namespaceOf(w.namespaces, ns.name);
    const value: Namespace = {
      name: ns.name,
      description: ns.description ?? '',
      meta: ns.meta ?? {},
      createIndex: old && old !== BUILTIN_DEFAULT_NAMESPACE ? old.createIndex : index,
      modifyIndex: index,
    };
    w.namespaces.put({ key: ns.name, value, modifyIndex: index });
  }
  return undefined;
}

/**
 * Applies NamespaceDelete, refused as Nomad refuses it: an unknown name, `default`, a namespace
 * with a job that is not dead or with a CSI volume.
 */
export function namespaceDelete(w: StateWriters, c: NamespaceDeleteCommand): string | undefined {
  for (const name of c.names) {
    if (name === BUILTIN_DEFAULT_NAMESPACE.name) return 'default namespace can not be deleted';
    if (!w.namespaces.get(name)) return 'namespace not found';
    for (const job of w.jobs.lookupPrefix(`${name}\u0000`)) {
      if (job.status !== 'dead')
        return (
          `namespace ${JSON.stringify(name)} contains at least one non-terminal job ${JSON.stringify(job.id)}. ` +
          'All jobs must be terminal in namespace before it can be deleted'
        );
    }
    const vol = w.csiVolumes.lookupPrefix(`${name}\u0000`)[0];
    if (vol)
      return (
        `namespace ${JSON.stringify(name)} contains at least one CSI volume ${JSON.stringify(vol.id)}. ` +
        'All CSI volumes in namespace must be deleted before it can be deleted'
      );
  }
  for (const name of c.names) w.namespaces.delete(name);
  return undefined;
}
