/**
 * How Raft messages travel between servers. The runtime supplies TCP; the in-memory network
 * here connects servers in one process (tests, benchmarks, embedding), delivering through the
 * injected {@link Scheduler} so sends never re-enter the sender.
 */
import type { Message } from './messages.js';
import type { Scheduler } from './scheduler.js';

/** One server's connection to its peers. Best effort: a message may be lost. */
export interface Transport<C, S> {
  /** Sends `m` to `m.to`. Must not call back into the sender synchronously. */
  send(m: Message<C, S>): void;
  /** Sets the receiver of messages addressed to this server; returns a function that removes it. */
  listen(handler: (m: Message<C, S>) => void): () => void;
}

/** An in-process network of servers. */
export interface MemoryNetwork<C, S> {
  /** The transport of server `id`. */
  transport(id: string): Transport<C, S>;
  /** Cuts (or restores) every link to and from `id`. */
  setDown(id: string, down: boolean): void;
  /** Messages delivered so far. */
  readonly delivered: number;
}

/** Creates an in-memory network; delivery is deferred through `scheduler`. */
export function createMemoryNetwork<C, S>(scheduler: Scheduler): MemoryNetwork<C, S> {
  const handlers = new Map<string, (m: Message<C, S>) => void>();
  const down = new Set<string>();
  let queue: Message<C, S>[] = [];
  let scheduled = false;
  let delivered = 0;
  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (const m of batch) {
      if (down.has(m.from) || down.has(m.to)) continue;
      const h = handlers.get(m.to);
      if (!h) continue;
      delivered++;
      h(m);
    }
  };
  return {
    transport(id) {
      return {
        send(m) {
          queue.push(m);
          if (!scheduled) {
            scheduled = true;
            scheduler.defer(flush);
          }
        },
        listen(handler) {
          handlers.set(id, handler);
          return () => {
            if (handlers.get(id) === handler) handlers.delete(id);
          };
        },
      };
    },
    setDown(id, isDown) {
      if (isDown) down.add(id);
      else down.delete(id);
    },
    get delivered() {
      return delivered;
    },
  };
}
