import { describe, expect, it } from 'vitest';
import { createEvalBroker, type BrokerEval } from './evalBroker.js';

const S = 1_000_000_000;
let seq = 0;
const ev = (o: Partial<BrokerEval> & { jobId: string }): BrokerEval => ({
  id: o.id ?? `e${++seq}`,
  namespace: 'default',
  priority: 50,
  type: 'service',
  createIndex: ++seq,
  ...o,
});

describe('eval broker', () => {
  it('dequeues by priority, then oldest first, across scheduler types', () => {
    const b = createEvalBroker();
    b.enqueue(ev({ id: 'low', jobId: 'a', priority: 10 }), 0);
    b.enqueue(ev({ id: 'old', jobId: 'b', priority: 70 }), 0);
    b.enqueue(ev({ id: 'new', jobId: 'c', priority: 70 }), 0);
    b.enqueue(ev({ id: 'batch', jobId: 'd', priority: 60, type: 'batch' }), 0);
    const order: string[] = [];
    for (let d = b.dequeue(['service', 'batch'], 0); d; d = b.dequeue(['service', 'batch'], 0))
      order.push(d.evaluation.id);
    expect(order).toEqual(['old', 'new', 'batch', 'low']);
    expect(b.dequeue(['system'], 0)).toBeUndefined();
  });

  it('keeps one evaluation per job outstanding and collapses the waiting ones into the newest', () => {
    const b = createEvalBroker();
    b.enqueue(ev({ id: 'first', jobId: 'j' }), 0);
    b.enqueue(ev({ id: 'second', jobId: 'j' }), 0);
    b.enqueue(ev({ id: 'third', jobId: 'j' }), 0);
    const d = b.dequeue(['service'], 0)!;
    expect(d.evaluation.id).toBe('first');
    expect(b.dequeue(['service'], 0)).toBeUndefined();
    expect(b.stats().totalPending).toBe(2);
    expect(b.ack('first', d.token)).toBeUndefined();
    expect(b.takeCancelable().map((e) => e.id)).toEqual(['second']);
    expect(b.dequeue(['service'], 0)!.evaluation.id).toBe('third');
  });

  it('refuses an ack with the wrong token or an unknown id', () => {
    const b = createEvalBroker();
    b.enqueue(ev({ id: 'x', jobId: 'j' }), 0);
    const d = b.dequeue(['service'], 0)!;
    expect(b.ack('x', 'bogus')?.error).toMatch(/token does not match/);
    expect(b.ack('nope', d.token)?.error).toMatch(/not found/);
    expect(b.outstanding('x', d.token)).toBe(true);
  });

  it('redelivers a nacked evaluation after the nack delays and fails it at the delivery limit', () => {
    const b = createEvalBroker({ deliveryLimit: 3 });
    b.enqueue(ev({ id: 'x', jobId: 'j' }), 0);
    b.enqueue(ev({ id: 'other', jobId: 'j' }), 0);
    let d = b.dequeue(['service'], 0)!;
    b.nack('x', d.token, 0);
    expect(b.dequeue(['service'], 0)).toBeUndefined(); // the job stays reserved during the delay
    b.tick(S - 1);
    expect(b.dequeue(['service'], S - 1)).toBeUndefined();
    b.tick(S);
    d = b.dequeue(['service'], S)!;
    expect(d.evaluation.id).toBe('x');
    b.nack('x', d.token, S);
    b.tick(S + 20 * S);
    d = b.dequeue(['service'], 21 * S)!;
    expect(d.evaluation.id).toBe('x');
    b.nack('x', d.token, 21 * S);
    expect(b.takeFailed().map((e) => e.id)).toEqual(['x']);
    expect(b.dequeue(['service'], 21 * S)!.evaluation.id).toBe('other');
  });

  it('nacks an evaluation whose ack deadline passes', () => {
    const b = createEvalBroker({ nackTimeout: 5 * S, initialNackDelay: 0 });
    b.enqueue(ev({ id: 'x', jobId: 'j' }), 0);
    const d = b.dequeue(['service'], 0)!;
    expect(b.nextDue()).toBe(5 * S);
    b.tick(5 * S);
    expect(b.outstanding('x', d.token)).toBe(false);
    b.tick(5 * S);
    expect(b.dequeue(['service'], 5 * S)!.evaluation.id).toBe('x');
  });

  it('holds an evaluation until its waitUntil', () => {
    const b = createEvalBroker();
    b.enqueue(ev({ id: 'later', jobId: 'j', waitUntil: 10 * S }), 0);
    expect(b.dequeue(['service'], 0)).toBeUndefined();
    expect(b.stats().totalWaiting).toBe(1);
    b.tick(10 * S);
    expect(b.dequeue(['service'], 10 * S)!.evaluation.id).toBe('later');
  });
});
