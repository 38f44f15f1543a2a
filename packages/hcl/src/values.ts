/**
 * HCL values as plain JavaScript data, shared by the evaluator and the function library.
 *
 * - null, boolean, number, string
 * - tuples and lists: arrays; objects and maps: plain objects (null prototype not required)
 * - `Deferred`: an expression that refers to something only the client knows at run time
 *   (`attr.*`, `node.*`, `meta.*`, `NOMAD_*`, `env[...]`, `device.*` …). jobspec2 keeps such an
 *   expression as its original `${…}` text; the evaluator produces a Deferred, and any
 *   operation or function call that touches one becomes a Deferred of the enclosing
 *   expression's source text. Functions never see a Deferred.
 */
export type HclValue = null | boolean | number | string | HclValue[] | HclObject | Deferred;

/** An HCL object or map. */
export interface HclObject {
  [key: string]: HclValue;
}

/** An expression kept as source text for run-time interpolation. */
export class Deferred {
  constructor(
    /** The expression's source, without the `${` `}` wrapper. */
    readonly source: string,
  ) {}

  /** The text jobspec2 leaves in the job: `${source}`. */
  toTemplate(): string {
    return '${' + this.source + '}';
  }
}

/** True when `v` is a Deferred. */
export function isDeferred(v: unknown): v is Deferred {
  return v instanceof Deferred;
}
