/**
 * The checkers must catch a broken Raft. The broken variant commits entries of earlier terms
 * by counting replicas (the Raft paper's Figure 8); the scenario below drives a 5-server
 * cluster into the figure's situation. The correct rule survives the same scenario.
 */
import { describe, expect, it } from 'vitest';
import { SimCluster, Violation } from './sim/cluster.js';

/**
 * Figure 8 with a no-op per new leader and one entry per append message:
 * 1. n1 leads term 2 and writes X at index k, which reaches only n2.
 * 2. n1 and n2 stop; one of n3..n5 (L3) wins term 3 and is cut off before its no-op leaves:
 *    it alone holds a term-3 entry at index k.
 * 3. L3 stops; n1 and n2 return; one of them (L4) wins term 4 and re-sends X to a majority.
 *    The broken rule commits X (term 2) now; the correct rule waits for L4's own no-op.
 * 4. L4 stops before the no-op spreads; it and the other X holder are cut off; L3 returns and wins
 *    (its last term, 3, beats X's term 2) — and must not hold X.
 */
function figure8(unsafe: boolean): SimCluster {
  const sim = new SimCluster({
    nodes: 5,
    seed: 8,
    raft: { unsafeCommitPreviousTerms: unsafe, maxEntriesPerMsg: 1 },
  });
  const tickUntil = (cond: () => boolean, max = 200): void => {
    for (let i = 0; i < max && !cond(); i++) sim.tick();
    if (!cond()) throw new Error('scenario: condition never reached');
  };
  const leaderAmong = (ids: string[]): string | undefined =>
    ids.find((id) => sim.nodes.get(id)!.raft?.role === 'leader');
  sim.tick(); // apply the bootstrap membership
  sim.campaign('n1');
  tickUntil(() => sim.nodes.get('n1')!.raft!.role === 'leader');
  const noop = sim.nodes.get('n1')!.raft!.log.lastIndex();
  tickUntil(() => [...sim.nodes.values()].every((n) => n.applied >= noop));
  // 1.
  sim.partition((id) => id === 'n1' || id === 'n2');
  sim.put('n1', 'x');
  const k = sim.nodes.get('n1')!.raft!.log.lastIndex();
  tickUntil(() => sim.nodes.get('n2')!.raft!.log.lastIndex() === k);
  // 2.
  sim.crash('n1');
  sim.crash('n2');
  sim.heal();
  let l3: string | undefined;
  tickUntil(() => (l3 = leaderAmong(['n3', 'n4', 'n5'])) !== undefined);
  sim.partition((id) => id === l3);
  sim.tick();
  expect(sim.nodes.get(l3!)!.raft!.log.term(k)).toBe(sim.nodes.get(l3!)!.raft!.term);
  sim.crash(l3!);
  // 3.
  sim.heal();
  sim.restart('n1');
  sim.restart('n2');
  let l4: string | undefined;
  tickUntil(() => (l4 = leaderAmong(['n1', 'n2'])) !== undefined);
  const leader4 = sim.nodes.get(l4!)!.raft!;
  tickUntil(() => [...leader4.prs.values()].filter((p) => p.match >= k).length >= 3);
  expect([...leader4.prs.values()].filter((p) => p.match >= k + 1).length).toBeLessThan(3);
  // 4. (The partition also drops L4's no-op appends still in flight.)
  sim.crash(l4!);
  const otherHolder = l4 === 'n1' ? 'n2' : 'n1';
  sim.partition((id) => id === otherHolder || id === l4);
  sim.restart(l3!);
  tickUntil(() => leaderAmong([l3!]) !== undefined);
  return sim;
}

describe('a deliberately broken Raft is caught', () => {
  it('commit of a previous-term entry by counting: leader completeness fails', () => {
    let caught: unknown;
    try {
      figure8(true);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Violation);
    expect((caught as Violation).property).toMatch(/leader completeness|state machine safety/);
  });

  it('the correct commit rule survives the same scenario, and the cluster recovers', () => {
    const sim = figure8(false);
    sim.settle();
    expect(sim.leader()).toBeDefined();
  });

  it('ReadIndex without the heartbeat round: a deposed leader serves a stale read, linearizability fails', () => {
    // The old leader is cut off; while it still believes it leads, the others elect a new
    // leader that commits a write; then a client reads through the old leader.
    const run = (seed: number, unsafe: boolean): Violation | undefined => {
      const sim = new SimCluster({
        nodes: 3,
        seed,
        skewRate: 0.8,
        raft: { unsafeReadIndexWithoutQuorum: unsafe },
      });
      for (let i = 0; i < 80 && !sim.leader(); i++) sim.tick();
      const l1 = sim.leader()!.id;
      sim.put(l1, 'k');
      for (let i = 0; i < 5; i++) sim.tick();
      sim.partition((id) => id === l1);
      for (
        let i = 0;
        i < 40 && [...sim.nodes.values()].filter((n) => n.raft?.role === 'leader').length < 2;
        i++
      )
        sim.tick();
      const l2 = [...sim.nodes.values()].find((n) => n.raft?.role === 'leader' && n.id !== l1);
      if (l2) sim.put(l2.id, 'k');
      for (let i = 0; i < 4; i++) sim.tick();
      sim.get(l1, 'k');
      sim.tick();
      try {
        sim.settle();
        return undefined;
      } catch (e) {
        if (e instanceof Violation) return e;
        throw e;
      }
    };
    const seeds = Array.from({ length: 60 }, (_, i) => i);
    const broken = seeds.map((s) => run(s, true)).filter((v) => v !== undefined);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.every((v) => v.property === 'linearizability')).toBe(true);
    expect(seeds.map((s) => run(s, false)).filter((v) => v !== undefined)).toEqual([]);
  });
});
