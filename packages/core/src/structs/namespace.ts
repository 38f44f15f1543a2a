/** A namespace, with Nomad's field names. */
export interface Namespace {
  readonly name: string;
  readonly description: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** The namespace every cluster has (Nomad creates it at bootstrap). */
export const BUILTIN_DEFAULT_NAMESPACE: Namespace = Object.freeze({
  name: 'default',
  description: 'Default shared namespace',
  meta: Object.freeze({}),
  createIndex: 1,
  modifyIndex: 1,
});

/** The stored namespace `name` (default included), read through a table or a writer. */
export function namespaceOf(
  table: { get(key: string): { readonly value: unknown } | undefined },
  name: string,
): Namespace | undefined {
  const row = table.get(name);
  if (row) return row.value as Namespace;
  return name === BUILTIN_DEFAULT_NAMESPACE.name ? BUILTIN_DEFAULT_NAMESPACE : undefined;
}
