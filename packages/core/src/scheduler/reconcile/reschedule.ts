/**
 * Reschedule policy arithmetic: the next delay (constant / exponential / fibonacci, capped by
 * max_delay), attempts counted within the interval, and the time an allocation may be replaced.
 * Inputs are the few fields read, so the functions work on any Allocation/ReschedulePolicy shape.
 */

/** The reschedule policy fields these functions read (durations in ns). */
export interface ReschedulePolicyFields {
  attempts: number;
  interval: number;
  delay: number;
  delayFunction: string;
  maxDelay: number;
  unlimited: boolean;
}

/** One past reschedule attempt (times and delay in ns). */
export interface RescheduleEventFields {
  rescheduleTime: number;
  delay: number;
}

/**
 * The delay before the next reschedule: the policy's base delay for the first attempt, then
 * doubled (exponential) or the sum of the last two (fibonacci), capped at `maxDelay`; once
 * capped, a failure that happened more than `maxDelay` after the last reschedule restarts the
 * series at the base delay. Pure.
 * Example: `nextDelay(p, [{ rescheduleTime: 0, delay: 30e9 }], 1e9)` is 60 s for exponential.
 */
export function nextDelay(
  policy: ReschedulePolicyFields | undefined,
  events: readonly RescheduleEventFields[],
  lastEventTime: number,
): number {
  if (!policy) return 0;
  let delay = policy.delay;
  const last = events[events.length - 1];
  if (!last) return delay;
  switch (policy.delayFunction) {
    case 'exponential':
      delay = last.delay * 2;
      break;
    case 'fibonacci': {
      const prev = events[events.length - 2];
      if (prev) {
        // A series that hit the ceiling and restarted begins again from the base delay.
        delay =
          prev.delay === policy.maxDelay && last.delay === policy.delay
            ? last.delay
            : last.delay + prev.delay;
      }
      break;
    }
    default:
      return delay;
  }
  if (policy.maxDelay > 0 && delay > policy.maxDelay) {
    delay = policy.maxDelay;
    if (lastEventTime - last.rescheduleTime > delay) delay = policy.delay;
  }
  return delay;
}

/** How many reschedules happened within `interval` before `failTime`, and how many are allowed. Pure. */
export function rescheduleInfo(
  policy: ReschedulePolicyFields | undefined,
  events: readonly RescheduleEventFields[],
  failTime: number,
): { attempted: number; attempts: number } {
  if (!policy) return { attempted: 0, attempts: 0 };
  let attempted = 0;
  if (policy.attempts > 0) {
    for (const e of events) if (failTime - e.rescheduleTime < policy.interval) attempted++;
  }
  return { attempted, attempts: policy.attempts };
}

/**
 * When an allocation that failed at `failTime` may be replaced, and whether the policy still
 * allows it (unlimited, or fewer than `attempts` within `interval` and the delay fits the interval).
 * Pure.
 */
export function nextRescheduleTimeFrom(
  policy: ReschedulePolicyFields,
  events: readonly RescheduleEventFields[] | undefined,
  failTime: number,
  lastEventTime: number,
): { time: number; eligible: boolean } {
  const d = nextDelay(policy, events ?? [], lastEventTime);
  let eligible = policy.unlimited || (policy.attempts > 0 && events === undefined);
  if (policy.attempts > 0 && events !== undefined) {
    const { attempted, attempts } = rescheduleInfo(policy, events, failTime);
    eligible = attempted < attempts && d < policy.interval;
  }
  return { time: failTime + d, eligible };
}

/** Whether the policy enables rescheduling at all. Pure. */
export function rescheduleEnabled(
  policy: ReschedulePolicyFields | undefined,
): policy is ReschedulePolicyFields {
  return policy !== undefined && (policy.attempts > 0 || policy.unlimited);
}
