import { describe, expect, it } from 'vitest';
import type { LogEntry, StateMachine } from '../../src/raft/consensus.js';
import { createRaftConsensus, type Proposal, type RaftConsensus } from '../../src/raft/raftConsensus.js';
import { createManualScheduler, type ManualScheduler } from '../../src/raft/scheduler.js';
import {
  createMemoryLogStore,
  createMemorySnapshotStore,
  type LogStore,
  type SnapshotStore,
} from '../../src/raft/storage.js';
import { createMemoryNetwork, type MemoryNetwork } from '../../src/raft/transport.js';

/** A list state machine: apply appends the command; the result is the list length. */
function listFsm(): StateMachine<number, number[]> & { items: number[]; restores: number } {
  return {
    items: [],
    restores: 0,
    apply(e: LogEntry<number>) {
      this.items.push(e.command);
      return this.items.length;
    },
    snapshot() {
      return [...this.items];
    },
    restore(s: number[]) {
      this.restores++;
      this.items = [...s];
    },
  };
}

interface Server {
  c: RaftConsensus<number, number[]>;
  fsm: ReturnType<typeof listFsm>;
  logStore: LogStore<Proposal<number>>;
  snapStore: SnapshotStore<number[]>;
}

function cluster(ids: string[], opts: { snapshotThreshold?: number; trailingEntries?: number } = {}) {
  const sched: ManualScheduler = createManualScheduler();
  const net: MemoryNetwork<Proposal<number>, number[]> = createMemoryNetwork(sched);
  const servers = new Map<string, Server>();
  const start = (
    id: string,
    peers: string[] | undefined,
    stores?: Pick<Server, 'logStore' | 'snapStore'>,
  ) => {
    const logStore = stores?.logStore ?? createMemoryLogStore<Proposal<number>>();
    const snapStore = stores?.snapStore ?? createMemorySnapshotStore<number[]>();
    const c = createRaftConsensus<number, number[]>({
      id,
      peers,
      transport: net.transport(id),
      logStore,
      snapshotStore: snapStore,
      scheduler: sched,
      tickMs: 10,
      snapshotThreshold: opts.snapshotThreshold ?? 0,
      trailingEntries: opts.trailingEntries ?? 0,
    });
    const fsm = listFsm();
    c.attach(fsm);
    const s = { c, fsm, logStore, snapStore };
    servers.set(id, s);
    return s;
  };
  for (const id of ids) start(id, ids);
  const leader = (): Server | undefined => [...servers.values()].find((s) => s.c.leadership().isLeader);
  const waitLeader = (): Server => {
    for (let i = 0; i < 200 && !leader(); i++) sched.advance(10);
    const l = leader();
    if (!l) throw new Error('no leader elected');
    return l;
  };
  return { sched, net, servers, start, leader, waitLeader };
}

async function settle<T>(sched: ManualScheduler, p: Promise<T>, maxMs = 5000): Promise<T> {
  let done = false;
  let value: T | undefined;
  let error: unknown;
  p.then(
    (v) => ((done = true), (value = v)),
    (e) => ((done = true), (error = e)),
  );
  for (let t = 0; t < maxMs && !done; t += 10) {
    sched.advance(10);
    await Promise.resolve();
    await Promise.resolve();
  }
  if (!done) throw new Error('request never settled');
  if (error) throw error;
  return value as T;
}

describe('raft consensus (3 servers, in-memory network)', () => {
  it('elects one leader, replicates proposals to every server in order', async () => {
    const k = cluster(['a', 'b', 'c']);
    const l = k.waitLeader();
    expect([...k.servers.values()].filter((s) => s.c.leadership().isLeader)).toHaveLength(1);
    const results = await settle(k.sched, Promise.all([1, 2, 3].map((n) => l.c.propose(n))));
    expect(results.map((r) => r.result)).toEqual([1, 2, 3]);
    k.sched.advance(100);
    for (const s of k.servers.values()) {
      expect(s.fsm.items).toEqual([1, 2, 3]);
      expect(s.c.leadership().leaderId).toBe(l.c.id);
    }
    expect(await settle(k.sched, l.c.barrier())).toBeGreaterThanOrEqual(results[2]!.index);
  });

  it('forwards a follower proposal and answers it there', async () => {
    const k = cluster(['a', 'b', 'c']);
    const l = k.waitLeader();
    k.sched.advance(50);
    const f = [...k.servers.values()].find((s) => s !== l)!;
    const r = await settle(k.sched, f.c.propose(7));
    expect(r.result).toBe(1);
    expect(f.fsm.items).toEqual([7]);
    expect(await settle(k.sched, f.c.barrier())).toBeGreaterThanOrEqual(r.index);
  });

  it('survives the loss of the leader: a new leader keeps every acknowledged entry', async () => {
    const k = cluster(['a', 'b', 'c']);
    const l1 = k.waitLeader();
    await settle(k.sched, Promise.all([1, 2].map((n) => l1.c.propose(n))));
    k.net.setDown(l1.c.id, true);
    let l2: Server | undefined;
    for (let i = 0; i < 300 && !l2; i++) {
      k.sched.advance(10);
      l2 = [...k.servers.values()].find((s) => s !== l1 && s.c.leadership().isLeader);
    }
    expect(l2).toBeDefined();
    await settle(k.sched, l2!.c.propose(3));
    expect(l2!.fsm.items).toEqual([1, 2, 3]);
    // The old leader rejoins and catches up.
    k.net.setDown(l1.c.id, false);
    k.sched.advance(500);
    expect(l1.fsm.items).toEqual([1, 2, 3]);
    expect(l1.c.leadership().isLeader).toBe(false);
  });

  it('restarts from its stores, and a lagging server catches up through a snapshot', async () => {
    const k = cluster(['a', 'b', 'c'], { snapshotThreshold: 5, trailingEntries: 2 });
    const l = k.waitLeader();
    const lagging = [...k.servers.values()].find((s) => s !== l)!;
    k.net.setDown(lagging.c.id, true);
    lagging.c.stop();
    for (let n = 1; n <= 20; n++) await settle(k.sched, l.c.propose(n));
    expect(l.snapStore.load()?.meta.index).toBeGreaterThan(10);
    k.net.setDown(lagging.c.id, false);
    const back = k.start(lagging.c.id, ['a', 'b', 'c'], lagging);
    k.sched.advance(1000);
    expect(back.fsm.items).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // It caught up through the leader's snapshot (InstallSnapshot), not by replaying the log.
    expect(back.fsm.restores).toBe(1);
    expect(back.snapStore.load()?.meta.index).toBeGreaterThan(0);
    expect(back.logStore.load().entries.length).toBeLessThan(20);
  });

  it('adds a server as a learner, promotes it once caught up, removes it again', async () => {
    const k = cluster(['a', 'b', 'c']);
    const l = k.waitLeader();
    await settle(k.sched, l.c.propose(1));
    const d = k.start('d', undefined);
    await settle(k.sched, l.c.addServer('d'));
    for (let i = 0; i < 100 && !l.c.status().conf.voters.includes('d'); i++) k.sched.advance(10);
    expect(l.c.status().conf.voters).toEqual(['a', 'b', 'c', 'd']);
    await settle(k.sched, l.c.propose(2));
    k.sched.advance(100);
    expect(d.fsm.items).toEqual([1, 2]);
    expect(d.c.status().conf.voters).toEqual(['a', 'b', 'c', 'd']);
    await settle(k.sched, l.c.removeServer('d'));
    expect(l.c.status().conf.voters).toEqual(['a', 'b', 'c']);
  });

  it('transfers leadership on request', async () => {
    const k = cluster(['a', 'b', 'c']);
    const l = k.waitLeader();
    await settle(k.sched, l.c.propose(1));
    const target = [...k.servers.values()].find((s) => s !== l)!;
    l.c.transferLeadership(target.c.id);
    for (let i = 0; i < 100 && !target.c.leadership().isLeader; i++) k.sched.advance(10);
    expect(target.c.leadership().isLeader).toBe(true);
    expect(l.c.leadership().isLeader).toBe(false);
  });

  it('rejects proposals with a clear error when no leader is known', async () => {
    const k = cluster(['a', 'b', 'c']);
    // Before any election nobody leads.
    await expect(k.servers.get('a')!.c.propose(1)).rejects.toThrow('consensus: not the leader');
  });

  it('a whole cluster restarts from its stores with the same state, then keeps committing', async () => {
    const k = cluster(['a', 'b', 'c'], { snapshotThreshold: 4, trailingEntries: 1 });
    const l = k.waitLeader();
    for (let n = 1; n <= 10; n++) await settle(k.sched, l.c.propose(n));
    k.sched.advance(100);
    const before = [...k.servers.values()].map((s) => ({ id: s.c.id, items: [...s.fsm.items], stores: s }));
    for (const s of k.servers.values()) s.c.stop();
    for (const b of before) k.start(b.id, ['a', 'b', 'c'], b.stores);
    // Each server rebuilds its state machine from its snapshot and log, before any election.
    k.sched.runDeferred();
    for (const b of before) expect(k.servers.get(b.id)!.fsm.items).toEqual(b.items);
    const l2 = k.waitLeader();
    await settle(k.sched, l2.c.propose(11));
    k.sched.advance(100);
    for (const s of k.servers.values())
      expect(s.fsm.items).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });
});
