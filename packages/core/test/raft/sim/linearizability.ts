/**
 * A linearizability checker for a key-value register workload (Wing & Gong's search with
 * Lowe's memoisation, as in Porcupine), partitioned per key: a history is linearizable iff
 * each key's sub-history is (linearizability is compositional). Test code.
 */

/** One client operation on one key. `ret` is Infinity when the client never heard back. */
export interface Op {
  readonly id: number;
  readonly key: string;
  readonly kind: 'put' | 'get';
  /** put: the value written; get: the value read (undefined = key absent). */
  readonly value: string | undefined;
  /** Logical times of the call and the return; all distinct across the history. */
  readonly call: number;
  readonly ret: number;
}

/** The outcome of a check: ok, or the key whose history cannot be linearized. */
export type LinResult = { ok: true } | { ok: false; key: string; ops: Op[] };

/**
 * Checks a whole history. Gets that never returned are dropped (they had no effect); puts that
 * never returned may or may not have happened, so they stay with an infinite return time.
 */
export function checkLinearizable(history: readonly Op[]): LinResult {
  const byKey = new Map<string, Op[]>();
  for (const op of history) {
    if (op.kind === 'get' && op.ret === Infinity) continue;
    let list = byKey.get(op.key);
    if (!list) byKey.set(op.key, (list = []));
    list.push(op);
  }
  for (const [key, ops] of [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!checkRegister(ops)) return { ok: false, key, ops };
  }
  return { ok: true };
}

interface Ev {
  op: number;
  isCall: boolean;
  time: number;
  match: Ev | undefined;
  prev: Ev | undefined;
  next: Ev | undefined;
}

/** Whether one register's history is linearizable (initial value: absent). */
export function checkRegister(ops: readonly Op[]): boolean {
  if (ops.length > 60) throw new Error(`linearizability: ${ops.length} ops on one key is beyond this search`);
  // The event list: calls and returns in time order, in a doubly linked list with a head.
  const evs: Ev[] = [];
  ops.forEach((o, i) => {
    const call: Ev = {
      op: i,
      isCall: true,
      time: o.call,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    const ret: Ev = { op: i, isCall: false, time: o.ret, match: undefined, prev: undefined, next: undefined };
    call.match = ret;
    evs.push(call, ret);
  });
  evs.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? 1 : -1));
  const head: Ev = {
    op: -1,
    isCall: false,
    time: -Infinity,
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let p = head;
  for (const e of evs) {
    p.next = e;
    e.prev = p;
    p = e;
  }
  const lift = (e: Ev): void => {
    e.prev!.next = e.next;
    if (e.next) e.next.prev = e.prev;
    const m = e.match!;
    m.prev!.next = m.next;
    if (m.next) m.next.prev = m.prev;
  };
  const unlift = (e: Ev): void => {
    const m = e.match!;
    m.prev!.next = m;
    if (m.next) m.next.prev = m;
    e.prev!.next = e;
    if (e.next) e.next.prev = e;
  };
  let state: string | undefined = undefined;
  let linearized = 0n;
  const cache = new Set<string>();
  const stack: { e: Ev; state: string | undefined }[] = [];
  let entry = head.next;
  while (head.next) {
    if (!entry) return false;
    if (entry.isCall) {
      const o = ops[entry.op]!;
      const ok = o.kind === 'put' || o.value === state;
      const next: string | undefined = o.kind === 'put' ? o.value : state;
      const bits = linearized | (1n << BigInt(entry.op));
      const key = `${bits.toString(36)}|${next ?? '\u0000'}`;
      if (ok && !cache.has(key)) {
        cache.add(key);
        stack.push({ e: entry, state });
        state = next;
        linearized = bits;
        lift(entry);
        entry = head.next;
      } else {
        entry = entry.next;
      }
    } else {
      // A return whose call is not yet linearized: undo the last choice.
      const top = stack.pop();
      if (!top) return false;
      state = top.state;
      linearized &= ~(1n << BigInt(top.e.op));
      unlift(top.e);
      entry = top.e.next;
    }
  }
  return true;
}
