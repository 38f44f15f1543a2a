/** Interpolation of constraint targets against a node. */

/** The node fields a target can name. */
export interface TargetNode {
  id: string;
  name: string;
  datacenter: string;
  nodeClass: string;
  nodePool: string;
  attributes: Readonly<Record<string, string>>;
  meta: Readonly<Record<string, string>>;
}

/**
 * Resolves `${node.unique.id}`, `${node.unique.name}`, `${node.datacenter}`, `${node.class}`,
 * `${node.pool}`, `${attr.*}` and `${meta.*}`; a literal resolves to itself; unknown or missing
 * targets resolve to undefined. Pure.
 */
export function resolveTarget(target: string, node: TargetNode): string | undefined {
  if (!target.startsWith('${')) return target;
  switch (target) {
    case '${node.unique.id}':
      return node.id;
    case '${node.datacenter}':
      return node.datacenter;
    case '${node.unique.name}':
      return node.name;
    case '${node.class}':
      return node.nodeClass;
    case '${node.pool}':
      return node.nodePool;
  }
  const inner = target.endsWith('}') ? target.slice(2, -1) : target.slice(2);
  if (inner.startsWith('attr.')) return node.attributes[inner.slice(5)];
  if (inner.startsWith('meta.')) return node.meta[inner.slice(5)];
  return undefined;
}

/** True when a target names a per-node unique value, so class-level caching cannot judge it. Pure. */
export function targetEscapesClass(target: string | undefined): boolean {
  return (
    target !== undefined &&
    (target.startsWith('${unique.') ||
      target.startsWith('${node.unique.') ||
      target.startsWith('${attr.unique.') ||
      target.startsWith('${meta.unique.'))
  );
}
