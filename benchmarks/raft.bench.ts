/**
 * Raft commit throughput and latency: an in-process 3-server cluster (createRaftConsensus over
 * the in-memory network and stores, a real-time scheduler), closed-loop clients proposing to
 * the leader. hashicorp/raft publishes 21,754 commands/s for its triple-node benchmark; the
 * ratio is printed against that figure (their setup differs: Go, its own transport and store).
 */
import {
  createMemoryLogStore,
  createMemoryNetwork,
  createMemorySnapshotStore,
  createRaftConsensus,
  type LogEntry,
  type Proposal,
  type RaftConsensus,
  type RaftScheduler,
  type StateMachine,
} from '@tsnomad/core';
import type { BenchOptions, BenchResult } from './lib.js';

const HASHICORP_TRIPLE_NODE_CMDS_PER_S = 21_754;

type Cmd = { readonly k: number };

/** A counter FSM: applying a command adds its k. */
function counterFsm(): StateMachine<Cmd, number> & { sum: number } {
  return {
    sum: 0,
    apply(e: LogEntry<Cmd>) {
      this.sum += e.command.k;
      return this.sum;
    },
    snapshot() {
      return this.sum;
    },
    restore(s: number) {
      this.sum = s;
    },
  };
}

const realTime: RaftScheduler = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
  defer(fn) {
    setImmediate(fn);
  },
};

function startCluster(): { servers: RaftConsensus<Cmd, number>[]; fsms: ReturnType<typeof counterFsm>[] } {
  const ids = ['s1', 's2', 's3'];
  const net = createMemoryNetwork<Proposal<Cmd>, number>(realTime);
  const fsms: ReturnType<typeof counterFsm>[] = [];
  const servers = ids.map((id) => {
    const c = createRaftConsensus<Cmd, number>({
      id,
      peers: ids,
      transport: net.transport(id),
      logStore: createMemoryLogStore(),
      snapshotStore: createMemorySnapshotStore(),
      scheduler: realTime,
      tickMs: 50,
    });
    const fsm = counterFsm();
    c.attach(fsm);
    fsms.push(fsm);
    return c;
  });
  return { servers, fsms };
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('raft bench: timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** Runs `clients` closed-loop proposers for `ms`; returns commits and per-commit latencies. */
async function load(
  leader: RaftConsensus<Cmd, number>,
  clients: number,
  ms: number,
): Promise<{ commits: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let commits = 0;
  let running = true;
  const start = performance.now();
  const client = async (): Promise<void> => {
    while (running) {
      const t = performance.now();
      await leader.propose({ k: 1 });
      latencies.push(performance.now() - t);
      commits++;
    }
  };
  const all = Array.from({ length: clients }, client);
  await new Promise((r) => setTimeout(r, ms));
  running = false;
  const seconds = (performance.now() - start) / 1000;
  const counted = commits;
  await Promise.all(all);
  return { commits: counted, seconds, latencies };
}

export default async function raftBench(opts: BenchOptions): Promise<BenchResult> {
  const { servers, fsms } = startCluster();
  servers[0]!.campaign();
  await waitFor(() => servers.some((s) => s.leadership().isLeader), 5000);
  const leader = servers.find((s) => s.leadership().isLeader)!;
  const seconds = opts.quick ? 1 : 5;

  await load(leader, 64, 300); // warm-up
  const tput = await load(leader, 64, seconds * 1000);
  const single = await load(leader, 1, opts.quick ? 500 : 2000);
  // Every server must have applied every command: the benchmark measures real replication.
  const expected = fsms[servers.indexOf(leader)]!.sum;
  await waitFor(() => fsms.every((f) => f.sum === expected), 5000);
  for (const s of servers) s.stop();

  const sorted = [...tput.latencies].sort((a, b) => a - b);
  const sortedSingle = [...single.latencies].sort((a, b) => a - b);
  const commitsPerSecond = Math.round(tput.commits / tput.seconds);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    summary: {
      servers: 3,
      clients: 64,
      commitsPerSecond,
      p50Ms: round(percentile(sorted, 0.5)),
      p99Ms: round(percentile(sorted, 0.99)),
      singleClientP50Ms: round(percentile(sortedSingle, 0.5)),
      singleClientP99Ms: round(percentile(sortedSingle, 0.99)),
      hashicorpTripleNodeCmdsPerSecond: HASHICORP_TRIPLE_NODE_CMDS_PER_S,
      ratioVsHashicorp: Math.round((commitsPerSecond / HASHICORP_TRIPLE_NODE_CMDS_PER_S) * 100) / 100,
    },
    details: {
      setup:
        'in-process: createRaftConsensus x3, in-memory network/log/snapshot stores, setImmediate scheduler, tick 50 ms',
      throughput: { commits: tput.commits, seconds: round(tput.seconds) },
      singleClient: {
        commits: single.commits,
        seconds: round(single.seconds),
        commitsPerSecond: Math.round(single.commits / single.seconds),
      },
      appliedOnEveryServer: expected,
    },
  };
}
