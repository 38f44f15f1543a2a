import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEvalBroker, type BrokerEval } from './evalBroker.js';

describe('eval broker properties', () => {
  it('never hands out two evaluations of one job at once, and loses none', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 100 })), {
          maxLength: 40,
        }),
        fc.array(fc.boolean(), { maxLength: 80 }),
        (specs, acks) => {
          const b = createEvalBroker();
          const evals: BrokerEval[] = specs.map(([job, priority], i) => ({
            id: `e${String(i).padStart(3, '0')}`,
            namespace: 'default',
            jobId: `j${job}`,
            priority,
            type: 'service',
            createIndex: i + 1,
          }));
          for (const e of evals) b.enqueue(e, 0);
          const out: { id: string; token: string; jobId: string }[] = [];
          let handed = 0;
          for (const ack of acks) {
            const d = b.dequeue(['service'], 0);
            if (d) {
              handed++;
              expect(out.some((o) => o.jobId === d.evaluation.jobId)).toBe(false);
              out.push({ id: d.evaluation.id, token: d.token, jobId: d.evaluation.jobId });
            }
            if (ack && out.length > 0) {
              const o = out.shift()!;
              expect(b.ack(o.id, o.token)).toBeUndefined();
            }
          }
          // Everything is handed out, collapsed (cancelable) or still waiting: nothing is lost.
          for (const o of out) b.ack(o.id, o.token);
          for (let d = b.dequeue(['service'], 0); d; d = b.dequeue(['service'], 0)) {
            handed++;
            b.ack(d.evaluation.id, d.token);
          }
          expect(handed + b.takeCancelable().length).toBe(evals.length);
        },
      ),
    );
  });
});
