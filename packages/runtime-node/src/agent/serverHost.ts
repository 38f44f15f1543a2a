/**
 * Hosts core's ControlPlane on the wall clock: runs the workers after every commit, ticks the
 * watchers when `nextDue()` says, wakes blocking queries when a table passes an index, and
 * keeps the recent events for `/v1/event/stream`.
 */
import {
  createControlPlane,
  createSingleNodeConsensus,
  type Clock,
  type Command,
  type Consensus,
  type ControlPlane,
  type SerializedState,
  type TableName,
} from '@tsnomad/core';
import type { AgentConfig } from './config.js';
import { createEventBroker, type EventBroker } from './events.js';
import type { Logger } from './logger.js';

/** Builds the consensus the server runs on (the durable store plugs in here). */
export type ConsensusFactory = (o: {
  readonly dataDir: string;
  readonly logger: Logger;
}) => Consensus<Command, SerializedState> | Promise<Consensus<Command, SerializedState>>;

/** Evaluations one worker pass runs before yielding to I/O. */
export const EVAL_BATCH = 8;
/** Longest time between two watcher ticks (ms). */
export const TICK_MS = 250;

/** The wall clock in nanoseconds since the epoch. */
export const wallClock: Clock = { now: () => Date.now() * 1e6 };

/** What the HTTP layer and the agent use of the server. */
export interface ServerHost {
  readonly cp: ControlPlane;
  readonly events: EventBroker;
  /** Resolves once any of `tables` has a modify index above `index`, or after `ms`. */
  waitForIndex(tables: readonly TableName[], index: number, ms: number): Promise<void>;
  /** Asks the workers to run soon (after a write). */
  kick(): void;
  /** When the server started (ms since epoch). */
  readonly startedAt: number;
  /** Wakes every waiting blocking query and ends event streams (shutdown, before the HTTP server closes). */
  release(): void;
  /** Stops the timers, waits for the workers, closes the consensus (flush). */
  stop(): Promise<void>;
}

interface Waiter {
  tables: readonly TableName[];
  index: number;
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/** Starts the server side of an agent. */
export async function startServerHost(
  config: AgentConfig,
  logger: Logger,
  consensusFactory?: ConsensusFactory,
): Promise<ServerHost> {
  const consensus = consensusFactory
    ? await consensusFactory({ dataDir: config.dataDir, logger })
    : createSingleNodeConsensus<Command, SerializedState>();
  const cp = createControlPlane({
    clock: wallClock,
    consensus,
    seed: `${config.name}:${Date.now()}:${process.pid}`,
    heartbeat: { ttl: config.server.minHeartbeatTtl, grace: config.server.heartbeatGrace },
    gc: {
      jobGcThreshold: config.server.jobGcThreshold,
      evalGcThreshold: config.server.evalGcThreshold,
      batchEvalGcThreshold: config.server.batchEvalGcThreshold,
      deploymentGcThreshold: config.server.deploymentGcThreshold,
      nodeGcThreshold: config.server.nodeGcThreshold,
    },
  });
  const events = createEventBroker(cp);
  const waiters = new Set<Waiter>();
  let stopped = false;

  const wake = (): void => {
    if (waiters.size === 0) return;
    const state = cp.state();
    for (const w of waiters)
      if (w.tables.some((t) => state.tableIndex(t) > w.index)) {
        clearTimeout(w.timer);
        waiters.delete(w);
        w.resolve();
      }
  };
  const unsubscribe = consensus.onCommit((entry) => {
    events.publish(entry);
    wake();
    kick();
  });

  // One worker pass at a time; a kick during a pass asks for another. A pass runs a bounded
  // batch of evaluations and then yields, so HTTP requests are served between batches. The
  // watchers (`tick`: heartbeats, drains, deployments, periodic, GC) scan the state, so they run
  // on a timer — at `nextDue()` and at most every TICK_MS — not after every commit.
  let running: Promise<void> | undefined;
  let again = false;
  let tickDue = true;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    again = false;
    try {
      if (tickDue) {
        tickDue = false;
        await cp.tick();
      }
      if ((await cp.processEvals(EVAL_BATCH)) >= EVAL_BATCH) again = true;
    } catch (e) {
      logger.error(
        { '@module': 'worker', error: e instanceof Error ? e.message : String(e) },
        'worker failed',
      );
    }
    running = undefined;
    if (again) kick();
    else arm();
  };
  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = new Promise((r) => setImmediate(() => void run().then(r)));
  }
  function arm(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    const due = cp.nextDue();
    const ms = due === undefined ? TICK_MS : Math.max(0, (due - wallClock.now()) / 1e6);
    timer = setTimeout(
      () => {
        tickDue = true;
        kick();
      },
      Math.min(ms, TICK_MS),
    );
    timer.unref();
  }

  function release(): void {
    stopped = true;
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    waiters.clear();
    events.close();
  }

  if (consensus.leadership().isLeader) cp.establishLeadership();
  kick();
  logger.info({ '@module': 'nomad', index: consensus.appliedIndex() }, 'server started');

  return {
    cp,
    events,
    startedAt: Date.now(),
    kick,
    waitForIndex(tables, index, ms) {
      const state = cp.state();
      if (stopped || tables.some((t) => state.tableIndex(t) > index)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const w: Waiter = {
          tables,
          index,
          resolve,
          timer: setTimeout(() => {
            waiters.delete(w);
            resolve();
          }, ms),
        };
        waiters.add(w);
      });
    },
    release,
    async stop() {
      release();
      if (timer) clearTimeout(timer);
      unsubscribe();
      await running;
      // A durable consensus flushes and closes its files here.
      const closable = consensus as { close?: () => unknown };
      if (typeof closable.close === 'function') await closable.close();
    },
  };
}
