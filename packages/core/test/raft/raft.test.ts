import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/util/rng.js';
import type { Message } from '../../src/raft/messages.js';
import { bootstrapState, RaftNode, type RaftConfig } from '../../src/raft/raft.js';

type Node = RaftNode<string, string>;

/** A lossless, instantaneous network of step machines with a filter for cut links. */
function net(ids: string[], cfg: Partial<Omit<RaftConfig, 'id' | 'rng'>> = {}) {
  const boot = bootstrapState<string, string>(ids);
  const nodes = new Map<string, Node>(
    ids.map((id) => [id, new RaftNode<string, string>({ ...cfg, id, rng: createRng(id) }, boot)]),
  );
  const cut = new Set<string>();
  const sent: Message<string, string>[] = [];
  let applied = new Map<string, string[]>(ids.map((id) => [id, []]));
  /** Runs every Ready and delivers messages until nothing moves. */
  const flush = (max = 10_000): void => {
    for (let round = 0; round < max; round++) {
      const msgs: Message<string, string>[] = [];
      for (const [id, n] of nodes) {
        while (n.hasReady()) {
          const rd = n.ready();
          msgs.push(...rd.messages);
          for (const e of rd.committedEntries) {
            if (!applied.has(id)) applied.set(id, []);
            if (e.type === 'normal' && e.data) applied.get(id)!.push(e.data as string);
          }
          n.advance();
        }
      }
      if (msgs.length === 0) return;
      for (const m of msgs) {
        sent.push(m);
        if (cut.has(m.from) || cut.has(m.to)) continue;
        nodes.get(m.to)?.step(m);
      }
    }
  };
  const tick = (n = 1): void => {
    for (let i = 0; i < n; i++) {
      for (const node of nodes.values()) node.tick();
      flush();
    }
  };
  const leader = (): Node | undefined => [...nodes.values()].find((n) => n.role === 'leader');
  flush(); // apply the bootstrap membership
  return {
    nodes,
    cut,
    sent,
    flush,
    tick,
    leader,
    applied: () => applied,
    reset: () => (applied = new Map(ids.map((id) => [id, []]))),
  };
}

describe('raft step machine', () => {
  it('elects a leader through pre-vote, and everyone agrees on it', () => {
    const k = net(['a', 'b', 'c']);
    k.nodes.get('a')!.campaign();
    k.flush();
    expect(k.leader()?.id).toBe('a');
    expect(k.sent.some((m) => m.type === 'preVote')).toBe(true);
    for (const n of k.nodes.values()) expect(n.lead).toBe('a');
    expect(k.nodes.get('a')!.term).toBe(2);
  });

  it('pre-vote keeps a partitioned server from inflating its term and disrupting the leader', () => {
    const k = net(['a', 'b', 'c']);
    k.nodes.get('a')!.campaign();
    k.flush();
    k.cut.add('c');
    k.tick(100);
    expect(k.nodes.get('c')!.term).toBe(2);
    k.cut.delete('c');
    k.tick(5);
    expect(k.leader()?.id).toBe('a');
    expect(k.nodes.get('a')!.term).toBe(2);
    // Without pre-vote the same partition inflates the term and deposes the leader on return.
    const k2 = net(['a', 'b', 'c'], { preVote: false, checkQuorum: false });
    k2.nodes.get('a')!.campaign();
    k2.flush();
    k2.cut.add('c');
    k2.tick(100);
    expect(k2.nodes.get('c')!.term).toBeGreaterThan(5);
  });

  it('check-quorum: an isolated leader steps down within an election timeout', () => {
    const k = net(['a', 'b', 'c'], { electionTick: 10 });
    k.nodes.get('a')!.campaign();
    k.flush();
    k.cut.add('a');
    k.tick(21);
    expect(k.nodes.get('a')!.role).toBe('follower');
  });

  it('batches proposals into one append and limits appends in flight', () => {
    const k = net(['a', 'b', 'c'], { maxInflight: 2, maxEntriesPerMsg: 4 });
    const a = k.nodes.get('a')!;
    a.campaign();
    k.flush();
    k.tick(2);
    // Proposals made together travel together (up to maxEntriesPerMsg per message).
    for (let i = 0; i < 4; i++) a.propose(`x${i}`);
    const rd = a.ready();
    const apps = rd.messages.filter((m) => m.type === 'app' && m.to === 'b');
    a.advance();
    expect(apps.map((m) => m.entries.length)).toEqual([4]);
    // With b silent, at most maxInflight appends go unanswered.
    k.cut.add('b');
    const before = k.sent.filter((m) => m.type === 'app' && m.to === 'b').length;
    for (let i = 0; i < 20; i++) {
      a.propose(`y${i}`);
      k.flush();
    }
    const after = k.sent.filter((m) => m.type === 'app' && m.to === 'b' && m.entries.length > 0).length;
    expect(after - before).toBeLessThanOrEqual(2);
    k.cut.delete('b');
    k.tick(3);
    expect(k.nodes.get('b')!.log.lastIndex()).toBe(a.log.lastIndex());
  });

  it('serves ReadIndex only after a heartbeat quorum, and forwards reads from followers', () => {
    const k = net(['a', 'b', 'c']);
    const a = k.nodes.get('a')!;
    a.campaign();
    k.flush();
    k.cut.add('b');
    k.cut.add('c');
    a.readIndex('r1');
    k.flush();
    // No quorum: no read state yet.
    expect(a.hasReady()).toBe(false);
    k.cut.clear();
    a.readIndex('r2');
    const seen: string[] = [];
    const drain = (): void => {
      for (const [, n] of k.nodes) {
        while (n.hasReady()) {
          const rd = n.ready();
          for (const r of rd.readStates) seen.push(`${n.id}:${r.context}@${r.index}`);
          for (const m of rd.messages) k.nodes.get(m.to)!.step(m);
          n.advance();
        }
      }
    };
    for (let i = 0; i < 5; i++) drain();
    expect(seen).toContain(`a:r2@${a.log.committed}`);
    k.nodes.get('c')!.readIndex('r3');
    for (let i = 0; i < 5; i++) drain();
    expect(seen).toContain(`c:r3@${a.log.committed}`);
  });

  it('transfers leadership with TimeoutNow, past the followers lease', () => {
    const k = net(['a', 'b', 'c']);
    k.nodes.get('a')!.campaign();
    k.flush();
    k.nodes.get('a')!.transferLeadership('c');
    k.flush();
    expect(k.leader()?.id).toBe('c');
    expect(k.sent.some((m) => m.type === 'timeoutNow' && m.to === 'c')).toBe(true);
  });

  it('forwards follower proposals to the leader, or drops them without a leader', () => {
    const k = net(['a', 'b', 'c']);
    expect(k.nodes.get('b')!.propose('early')).toBe('no leader');
    k.nodes.get('a')!.campaign();
    k.flush();
    expect(k.nodes.get('b')!.propose('via-b')).toBeUndefined();
    k.flush();
    k.tick(2);
    for (const id of ['a', 'b', 'c']) expect(k.applied().get(id)).toEqual(['via-b']);
    const strict = net(['a', 'b'], { forwardProposals: false });
    strict.nodes.get('a')!.campaign();
    strict.flush();
    expect(strict.nodes.get('b')!.propose('x')).toBe('not leader');
  });

  it('adds a learner that does not vote, promotes it once caught up, and refuses two pending changes', () => {
    const k = net(['a', 'b', 'c']);
    const a = k.nodes.get('a')!;
    a.campaign();
    k.flush();
    a.propose('p1');
    k.flush();
    k.nodes.set('d', new RaftNode<string, string>({ id: 'd', rng: createRng('d') }));
    expect(a.proposeConfChange({ type: 'addLearner', id: 'd', promote: true })).toBeUndefined();
    expect(a.proposeConfChange({ type: 'removeNode', id: 'c' })).toBe('membership change pending');
    k.flush();
    expect(a.conf.learners).toEqual(['d']);
    k.tick(3);
    expect(a.conf.voters).toEqual(['a', 'b', 'c', 'd']);
    expect(k.nodes.get('d')!.conf.voters).toEqual(['a', 'b', 'c', 'd']);
    expect(k.nodes.get('d')!.log.lastIndex()).toBe(a.log.lastIndex());
    // Removing the leader: it steps down and the rest elect a new one.
    expect(a.proposeConfChange({ type: 'removeNode', id: 'a' })).toBeUndefined();
    k.flush();
    expect(a.role).toBe('follower');
    k.tick(40);
    expect(k.leader()).toBeDefined();
    expect(k.leader()!.id).not.toBe('a');
  });

  it('installs a snapshot on a follower whose entries were compacted away', () => {
    const k = net(['a', 'b', 'c']);
    const a = k.nodes.get('a')!;
    a.campaign();
    k.flush();
    k.cut.add('c');
    for (let i = 0; i < 10; i++) a.propose(`e${i}`);
    k.flush();
    const snap = a.compact('state-at-' + a.log.applied);
    expect(a.log.firstIndex()).toBe(snap.meta.index + 1);
    k.cut.delete('c');
    const c = k.nodes.get('c')!;
    let installed: string | undefined;
    for (let i = 0; i < 5 && !installed; i++) {
      for (const n of k.nodes.values()) n.tick();
      for (const [, n] of k.nodes) {
        while (n.hasReady()) {
          const rd = n.ready();
          if (n === c && rd.snapshot) installed = rd.snapshot.data;
          for (const m of rd.messages) k.nodes.get(m.to)!.step(m);
          n.advance();
        }
      }
    }
    expect(installed).toBe(snap.data);
    expect(c.log.committed).toBeGreaterThanOrEqual(snap.meta.index);
  });

  it('a follower commits no further than the entries the append proved (a stale tail stays uncommitted)', () => {
    const boot = bootstrapState<string, string>(['a', 'b', 'c']);
    // b holds two entries of an old term 2 after the bootstrap; the new leader agrees on index 4 only.
    const b = new RaftNode<string, string>(
      { id: 'b', rng: createRng('b') },
      {
        hardState: { term: 2, vote: '', commit: 3 },
        entries: [
          ...(boot.entries ?? []),
          { term: 2, index: 4, type: 'normal', data: 'kept' },
          { term: 2, index: 5, type: 'normal', data: 'stale' },
        ],
      },
    );
    b.step({
      type: 'app',
      from: 'a',
      to: 'b',
      term: 3,
      index: 3,
      logTerm: 1,
      entries: [{ term: 2, index: 4, type: 'normal', data: 'kept' }],
      commit: 5,
      reject: false,
      rejectHint: 0,
    });
    expect(b.log.committed).toBe(4);
    expect(b.log.lastIndex()).toBe(5);
  });

  it('guards its own API: ready twice without advance, compaction beyond applied', () => {
    const n = new RaftNode<string, string>({ id: 'a', rng: createRng(1) }, bootstrapState(['a']));
    n.ready();
    expect(() => n.ready()).toThrow(/ready\(\) called twice/);
    n.advance();
    expect(() => n.advance()).toThrow(/advance\(\) without ready/);
    expect(() => new RaftNode({ id: 'x', rng: createRng(1), electionTick: 2, heartbeatTick: 2 })).toThrow(
      /heartbeatTick/,
    );
  });
});
