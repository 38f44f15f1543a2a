/**
 * Single-server membership changes applied to a {@link ConfState}. Pure. Changes take effect
 * when the entry is applied (as in etcd-io/raft); the leader keeps at most one change
 * uncommitted, so any two configurations in use differ by one server and their majorities
 * overlap.
 */
import type { ConfChange, ConfState } from './messages.js';

/** The membership after `cc`. Adding a current voter as a learner is ignored (no demotion). */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const without = (xs: readonly string[], id: string): string[] => xs.filter((x) => x !== id);
  switch (cc.type) {
    case 'addVoter':
      return {
        voters: conf.voters.includes(cc.id) ? [...conf.voters] : [...conf.voters, cc.id].sort(),
        learners: without(conf.learners, cc.id),
        promoting: without(conf.promoting, cc.id),
      };
    case 'addLearner': {
      if (conf.voters.includes(cc.id)) return conf;
      const learners = conf.learners.includes(cc.id) ? [...conf.learners] : [...conf.learners, cc.id].sort();
      const promoting = without(conf.promoting, cc.id);
      if (cc.promote) promoting.push(cc.id);
      return { voters: [...conf.voters], learners, promoting: promoting.sort() };
    }
    case 'removeNode':
      return {
        voters: without(conf.voters, cc.id),
        learners: without(conf.learners, cc.id),
        promoting: without(conf.promoting, cc.id),
      };
  }
}

/** Whether `x` is a well-formed {@link ConfChange} (entries arrive from the network). */
export function isConfChange(x: unknown): x is ConfChange {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { type?: unknown; id?: unknown };
  return (
    typeof o.id === 'string' &&
    o.id.length > 0 &&
    (o.type === 'addVoter' || o.type === 'addLearner' || o.type === 'removeNode')
  );
}
