/**
 * Random schedules for the simulator as fast-check values: a fault profile and a list of
 * actions (ticks, client puts and gets, crashes, restarts, partitions, compactions, membership
 * changes, leadership transfers). fast-check shrinks a failing schedule to a short one, and its
 * seed and path replay it. Test code.
 */
import fc from 'fast-check';
import { SimCluster, type SimOptions } from './cluster.js';

/** One step of a schedule. Server numbers are taken modulo the current server count. */
export type Action =
  | { readonly t: 'tick'; readonly n: number }
  | { readonly t: 'put'; readonly node: number; readonly key: number }
  | { readonly t: 'get'; readonly node: number; readonly key: number }
  | { readonly t: 'burst'; readonly node: number; readonly n: number }
  | { readonly t: 'crash'; readonly node: number }
  | { readonly t: 'restart'; readonly node: number }
  | { readonly t: 'partition'; readonly sides: readonly boolean[] }
  | { readonly t: 'isolateLeader' }
  | { readonly t: 'heal' }
  | { readonly t: 'compact'; readonly node: number; readonly trailing: number }
  | { readonly t: 'add' }
  | { readonly t: 'remove'; readonly node: number }
  | { readonly t: 'transfer'; readonly node: number };

/** A whole run: cluster size, faults, actions. */
export interface Schedule {
  readonly nodes: number;
  readonly seed: number;
  readonly dropRate: number;
  readonly dupRate: number;
  readonly maxDelay: number;
  readonly lazyRate: number;
  readonly skewRate: number;
  /** Flow-control settings of the step machine. */
  readonly maxEntriesPerMsg: number;
  readonly maxInflight: number;
  readonly actions: readonly Action[];
}

const node = fc.nat(6);

/** Actions weighted towards time passing and client traffic. */
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({ t: fc.constant('tick' as const), n: fc.integer({ min: 1, max: 12 }) }),
  },
  { weight: 16, arbitrary: fc.record({ t: fc.constant('put' as const), node, key: fc.nat(2) }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('get' as const), node, key: fc.nat(2) }) },
  {
    weight: 6,
    arbitrary: fc.record({ t: fc.constant('burst' as const), node, n: fc.integer({ min: 2, max: 8 }) }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('crash' as const), node }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('restart' as const), node }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('partition' as const),
      sides: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('isolateLeader' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('heal' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('compact' as const), node, trailing: fc.constantFrom(0, 0, 3) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('add' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('remove' as const), node }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('transfer' as const), node }) },
);

/** Schedules of up to `maxActions` actions on 3- or 5-server clusters. */
export function scheduleArb(maxActions: number): fc.Arbitrary<Schedule> {
  return fc.record({
    nodes: fc.constantFrom(3, 5),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    dropRate: fc.constantFrom(0, 0.02, 0.1, 0.25),
    dupRate: fc.constantFrom(0, 0.05, 0.2),
    maxDelay: fc.integer({ min: 0, max: 3 }),
    lazyRate: fc.constantFrom(0, 0.2, 0.5),
    skewRate: fc.constantFrom(0, 0, 0.3, 0.6),
    maxEntriesPerMsg: fc.constantFrom(1, 3, 256),
    maxInflight: fc.constantFrom(1, 4, 64),
    actions: fc.array(actionArb, { maxLength: maxActions }),
  });
}

/**
 * Runs a schedule: every event is checked for safety as it happens; afterwards the cluster is
 * healed and must make progress (liveness) with a linearizable client history. Throws a
 * `Violation` on failure.
 */
export function runSchedule(s: Schedule, raft: SimOptions['raft'] = {}): SimCluster {
  const sim = new SimCluster({
    nodes: s.nodes,
    seed: s.seed,
    dropRate: s.dropRate,
    dupRate: s.dupRate,
    maxDelay: s.maxDelay,
    lazyRate: s.lazyRate,
    skewRate: s.skewRate,
    raft: { maxEntriesPerMsg: s.maxEntriesPerMsg, maxInflight: s.maxInflight, ...raft },
  });
  const pick = (i: number): string => {
    const ids = sim.ids();
    return ids[i % ids.length]!;
  };
  // Warm up: let the cluster elect a first leader, so the actions meet a working cluster.
  for (let i = 0; i < 25; i++) sim.tick();
  for (const a of s.actions) {
    switch (a.t) {
      case 'tick':
        for (let i = 0; i < a.n; i++) sim.tick();
        break;
      case 'put':
        sim.put(pick(a.node), `k${a.key}`);
        break;
      case 'get':
        sim.get(pick(a.node), `k${a.key}`);
        break;
      case 'burst':
        // Clients on every server at once: writes and reads interleaved, one tick apart.
        for (let i = 0; i < a.n; i++) {
          const id = pick(a.node + i);
          if (i % 2 === 0) sim.put(id, `k${i % 2}`);
          else sim.get(id, `k${(i >> 1) % 2}`);
          sim.tick();
        }
        break;
      case 'crash':
        sim.crash(pick(a.node));
        break;
      case 'restart':
        sim.restart(pick(a.node));
        break;
      case 'partition': {
        const ids = sim.ids();
        sim.partition((id) => a.sides[ids.indexOf(id) % a.sides.length] === true);
        break;
      }
      case 'isolateLeader': {
        const l = sim.leader();
        if (l) sim.partition((id) => id === l.id);
        break;
      }
      case 'heal':
        sim.heal();
        break;
      case 'compact':
        sim.compact(pick(a.node), a.trailing);
        break;
      case 'add':
        sim.addServer();
        break;
      case 'remove':
        sim.removeServer(pick(a.node));
        break;
      case 'transfer': {
        const l = sim.leader();
        if (l) sim.transfer(l.id, pick(a.node));
        break;
      }
    }
  }
  sim.settle();
  return sim;
}
