/** The simulator's state machine: a key-value store that applies each client operation once. */

/** A client write as it travels in the log. */
export interface KvCommand {
  readonly op: number;
  readonly key: string;
  readonly value: string;
}

/** A snapshot of the store: values and the operations already applied. */
export interface KvSnapshot {
  readonly kv: readonly (readonly [string, string])[];
  readonly ops: readonly number[];
}

/** A key-value store with duplicate suppression (a duplicated proposal applies once). */
export class KvStore {
  kv = new Map<string, string>();
  ops = new Set<number>();

  /** Applies a write; returns false when the operation was already applied. */
  apply(c: KvCommand): boolean {
    if (this.ops.has(c.op)) return false;
    this.ops.add(c.op);
    this.kv.set(c.key, c.value);
    return true;
  }

  snapshot(): KvSnapshot {
    return { kv: [...this.kv], ops: [...this.ops] };
  }

  static restore(s: KvSnapshot): KvStore {
    const k = new KvStore();
    k.kv = new Map(s.kv);
    k.ops = new Set(s.ops);
    return k;
  }
}
