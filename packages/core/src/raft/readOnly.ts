/**
 * ReadIndex bookkeeping on the leader (Raft thesis §6.4): a read is safe at the commit index
 * recorded when it arrived, once a majority has acknowledged a heartbeat sent after it — which
 * proves no newer leader had been elected by then.
 */

/** One pending read: the index to read at, who asked, and who has acknowledged. */
export interface ReadRequest {
  readonly index: number;
  readonly context: string;
  /** The requesting server (the leader itself for local reads). */
  readonly from: string;
  readonly acks: Set<string>;
}

/** The leader's queue of pending reads, in arrival order. Mutable. */
export class ReadOnlyQueue {
  private queue: ReadRequest[] = [];
  private byContext = new Map<string, ReadRequest>();

  /** Queues a read; a context already queued is ignored (a duplicate request). */
  add(index: number, context: string, from: string, self: string): void {
    if (this.byContext.has(context)) return;
    const r: ReadRequest = { index, context, from, acks: new Set([self]) };
    this.queue.push(r);
    this.byContext.set(context, r);
  }

  /** Records a heartbeat acknowledgement; returns the acks for `context` (undefined if unknown). */
  ack(context: string, from: string): ReadonlySet<string> | undefined {
    const r = this.byContext.get(context);
    if (!r) return undefined;
    r.acks.add(from);
    return r.acks;
  }

  /** Removes and returns every request up to and including `context` (all are now safe). */
  release(context: string): ReadRequest[] {
    const i = this.queue.findIndex((r) => r.context === context);
    if (i < 0) return [];
    const out = this.queue.splice(0, i + 1);
    for (const r of out) this.byContext.delete(r.context);
    return out;
  }

  /** The context of the newest request (heartbeats carry it). */
  lastContext(): string | undefined {
    return this.queue[this.queue.length - 1]?.context;
  }

  clear(): void {
    this.queue = [];
    this.byContext.clear();
  }
}
