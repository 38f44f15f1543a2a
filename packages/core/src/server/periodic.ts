/**
 * The periodic dispatcher, as a pure step: for every enabled periodic parent job, computes its
 * next launch from its cron specs in its `time_zone` (via croner, always given a reference time,
 * never the wall clock) after the last recorded launch, and once that time has come launches a
 * child job `<parent>/periodic-<unix seconds>` with a `periodic-job` evaluation. With
 * `prohibit_overlap`, a launch is skipped (but recorded) while a previous child still runs.
 */
import { Cron } from 'croner';
import type { Job } from '../jobspec/types.js';
import type { Command } from '../state/commands.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';
import { newEvaluation } from '../structs/evaluation.js';

const NS_PER_MS = 1_000_000;

// A Date built from an explicit instant: the only way croner accepts a reference time.
const instant = (ns: number): Date => new Date(Math.floor(ns / NS_PER_MS));

/**
 * The first launch time strictly after `afterNs` (ns since epoch) for a periodic config, or
 * undefined when the specs never fire. Pure.
 * @example nextLaunch({ spec: '0 3 * * *', specs: [], timeZone: 'Asia/Tokyo' }, now)
 */
export function nextLaunch(
  periodic: { spec: string; specs: readonly string[]; timeZone: string },
  afterNs: number,
): number | undefined {
  const specs = [periodic.spec, ...periodic.specs].filter((s) => s.trim() !== '');
  let best: number | undefined;
  for (const spec of specs) {
    const cron = new Cron(spec, { timezone: periodic.timeZone || 'UTC', paused: true });
    const next = cron.nextRun(instant(afterNs));
    if (!next) continue;
    const ns = next.getTime() * NS_PER_MS;
    if (best === undefined || ns < best) best = ns;
  }
  return best;
}

/** A cron spec or time zone croner refuses, as a message; undefined when valid. Pure. */
export function periodicConfigError(periodic: {
  spec: string;
  specs: readonly string[];
  timeZone: string;
}): string | undefined {
  try {
    nextLaunch(periodic, 0);
    return undefined;
  } catch (e) {
    return `periodic: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The child job a periodic parent launches at `launchNs`. Pure. */
export function periodicChild(parent: Job, launchNs: number): Job {
  const id = `${parent.id}/periodic-${Math.floor(launchNs / 1_000_000_000)}`;
  return {
    ...parent,
    id,
    name: id,
    parentId: parent.id,
    periodic: undefined,
    status: 'pending',
    statusDescription: '',
    stable: false,
    version: 0,
    createIndex: 0,
    modifyIndex: 0,
    jobModifyIndex: 0,
  };
}

const isPeriodicParent = (j: Job): boolean => !!j.periodic?.enabled && !j.stop && j.parentId === '';

/**
 * One dispatcher step: launches every periodic job whose next launch is due. If several launches
 * were missed (e.g. the leader was down) only the latest one runs, as in Nomad.
 * @example for (const cmd of periodicStep(state, clock.now(), newId)) await propose(cmd);
 */
export function periodicStep(state: StateSnapshot, now: number, newId: () => string): Command[] {
  const out: Command[] = [];
  for (const job of state.jobs()) {
    if (!isPeriodicParent(job)) continue;
    const periodic = job.periodic!;
    const last = state.periodicLaunch(job.namespace, job.id)?.launch ?? job.submitTime;
    let due: number | undefined;
    try {
      for (let t = nextLaunch(periodic, last); t !== undefined && t <= now; t = nextLaunch(periodic, t))
        due = t;
    } catch {
      continue; // refused at registration; nothing to launch
    }
    if (due === undefined) continue;
    out.push({ type: 'PeriodicLaunch', namespace: job.namespace, jobId: job.id, launch: due });
    if (periodic.prohibitOverlap) {
      const running = state.childJobs(job.namespace, job.id).some((c) => c.status !== 'dead' && !c.stop);
      if (running) continue;
    }
    const child = periodicChild(job, due);
    out.push({
      type: 'JobRegister',
      job: child,
      evaluation: newEvaluation({
        id: newId(),
        namespace: child.namespace,
        jobId: child.id,
        priority: child.priority,
        type: child.type,
        triggeredBy: 'periodic-job',
        now,
      }),
      now,
    });
  }
  return out;
}

/** The earliest next launch among all periodic jobs, for the runtime's timer. Pure. */
export function nextPeriodicDue(state: StateSnapshot): number | undefined {
  let best: number | undefined;
  for (const job of state.jobs()) {
    if (!isPeriodicParent(job)) continue;
    const last = state.periodicLaunch(job.namespace, job.id)?.launch ?? job.submitTime;
    try {
      const t = nextLaunch(job.periodic!, last);
      if (t !== undefined && (best === undefined || t < best)) best = t;
    } catch {
      // invalid spec: never due
    }
  }
  return best;
}
