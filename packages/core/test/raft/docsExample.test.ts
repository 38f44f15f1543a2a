// docs/consensus.md's createRaftConsensus example, through the package's public root.
import { describe, expect, it } from 'vitest';
import {
  createManualScheduler,
  createMemoryLogStore,
  createMemoryNetwork,
  createMemorySnapshotStore,
  createRaftConsensus,
  type LogEntry,
  type Proposal,
  type RaftConsensus,
  type StateMachine,
} from '@tsnomad/core';

type Cmd = { readonly add: number };

describe('docs/consensus.md example', () => {
  it('runs a 3-server cluster from the root exports and commits a proposal on every server', async () => {
    const sums = new Map<string, number>();
    const fsm = (id: string): StateMachine<Cmd, number> => ({
      apply(e: LogEntry<Cmd>) {
        const v = (sums.get(id) ?? 0) + e.command.add;
        sums.set(id, v);
        return v;
      },
      snapshot: () => sums.get(id) ?? 0,
      restore: (s: number) => void sums.set(id, s),
    });
    const scheduler = createManualScheduler();
    const network = createMemoryNetwork<Proposal<Cmd>, number>(scheduler);
    const servers: RaftConsensus<Cmd, number>[] = ['s1', 's2', 's3'].map((id) => {
      const consensus = createRaftConsensus<Cmd, number>({
        id,
        peers: ['s1', 's2', 's3'],
        transport: network.transport(id),
        logStore: createMemoryLogStore(),
        snapshotStore: createMemorySnapshotStore(),
        scheduler,
        tickMs: 50,
        electionTick: 10,
      });
      consensus.attach(fsm(id));
      return consensus;
    });
    for (let t = 0; t < 100 && !servers.some((s) => s.leadership().isLeader); t++) scheduler.advance(50);
    const leader = servers.find((s) => s.leadership().isLeader)!;
    const pending = leader.propose({ add: 5 });
    scheduler.advance(100);
    const { index, result } = await pending;
    expect(result).toBe(5);
    expect(index).toBeGreaterThan(3);
    scheduler.advance(200);
    expect(['s1', 's2', 's3'].map((id) => sums.get(id))).toEqual([5, 5, 5]);
    expect(leader.status().conf.voters).toEqual(['s1', 's2', 's3']);
    for (const s of servers) s.stop();
  });
});
