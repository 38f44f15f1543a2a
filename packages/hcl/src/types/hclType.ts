/**
 * Type constraints of `variable` blocks (`string`, `list(number)`, `object({a = string})` …)
 * as data, and their display in cty's spelling for error messages.
 */

/** A type constraint. `any` accepts every value unchanged. */
export type HclType =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly element: HclType }
  | { readonly kind: 'set'; readonly element: HclType }
  | { readonly kind: 'map'; readonly element: HclType }
  | { readonly kind: 'object'; readonly attributes: Readonly<Record<string, HclType>> }
  | { readonly kind: 'tuple'; readonly elements: readonly HclType[] };

/** Constructors for the primitive and collection types. Pure. */
export const t = {
  string: { kind: 'string' } as HclType,
  number: { kind: 'number' } as HclType,
  bool: { kind: 'bool' } as HclType,
  any: { kind: 'any' } as HclType,
  list: (element: HclType): HclType => ({ kind: 'list', element }),
  set: (element: HclType): HclType => ({ kind: 'set', element }),
  map: (element: HclType): HclType => ({ kind: 'map', element }),
  object: (attributes: Record<string, HclType>): HclType => ({ kind: 'object', attributes }),
  tuple: (elements: HclType[]): HclType => ({ kind: 'tuple', elements }),
};

/**
 * The type as written in HCL, e.g. `list(map(string))`. Pure.
 * @example typeString(t.list(t.string)) // 'list(string)'
 */
export function typeString(ty: HclType): string {
  switch (ty.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'any':
      return ty.kind;
    case 'list':
    case 'set':
    case 'map':
      return `${ty.kind}(${typeString(ty.element)})`;
    case 'object':
      return `object({${Object.entries(ty.attributes)
        .map(([k, v]) => `${k}=${typeString(v)}`)
        .join(', ')}})`;
    case 'tuple':
      return `tuple([${ty.elements.map(typeString).join(', ')}])`;
  }
}
