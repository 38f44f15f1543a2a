import { describe, expect, it } from 'vitest';
import { createSingleNodeConsensus, type LogEntry, type StateMachine } from './consensus.js';

function counter(): StateMachine<number, number> & { value: number; applied: number[] } {
  return {
    value: 0,
    applied: [],
    apply(e: LogEntry<number>) {
      this.value += e.command;
      this.applied.push(e.index);
      return this.value;
    },
    snapshot() {
      return this.value;
    },
    restore(s: number) {
      this.value = s;
    },
  };
}

describe('single-node consensus', () => {
  it('commits proposals in order and returns index and result', async () => {
    const c = createSingleNodeConsensus<number, number>({ retainEntries: 2 });
    const fsm = counter();
    c.attach(fsm);
    const seen: number[] = [];
    c.onCommit((e) => seen.push(e.index));
    expect(await c.propose(2)).toEqual({ index: 1, result: 2 });
    expect(await c.propose(3)).toEqual({ index: 2, result: 5 });
    await c.propose(1);
    expect(seen).toEqual([1, 2, 3]);
    expect(await c.barrier()).toBe(3);
    expect(c.entriesSince(0).map((e) => e.index)).toEqual([2, 3]);
  });

  it('refuses proposals when not the leader and reports leadership changes', async () => {
    const c = createSingleNodeConsensus<number, number>({ id: 's1' });
    c.attach(counter());
    const changes: (string | undefined)[] = [];
    c.onLeadershipChange((l) => changes.push(l.leaderId));
    c.setLeader(false);
    await expect(c.propose(1)).rejects.toThrow(/not the leader/);
    c.setLeader(true);
    expect(changes).toEqual([undefined, 's1']);
    expect(c.appliedIndex()).toBe(0);
  });

  it('snapshots and restores the state machine with its index', async () => {
    const c = createSingleNodeConsensus<number, number>();
    const fsm = counter();
    c.attach(fsm);
    await c.propose(4);
    const snap = c.snapshot();
    await c.propose(10);
    c.restore(snap);
    expect(fsm.value).toBe(4);
    expect(c.appliedIndex()).toBe(1);
    expect((await c.propose(1)).index).toBe(2);
  });
});
