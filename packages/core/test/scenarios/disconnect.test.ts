import { describe, expect, it } from 'vitest';
import { Cluster, mkGroup, mkJob, mkNode, placed, stopped, S } from './fixtures.js';

function setup(maxClientDisconnect?: number): Cluster {
  const c = new Cluster();
  for (let i = 0; i < 3; i++) c.addNode(mkNode(`node-${i}`));
  c.register(mkJob({ taskGroups: [mkGroup({ count: 3, maxClientDisconnect })] }));
  c.step();
  c.setClient(
    c.live().map((a) => a.id),
    'running',
  );
  return c;
}

describe('disconnected clients', () => {
  it('without max_client_disconnect, allocations of a disconnected node are lost and replaced', () => {
    const c = setup();
    const a = c.live()[0]!;
    c.nodes.set(a.nodeId, { ...c.nodes.get(a.nodeId)!, status: 'disconnected' });
    const r = c.step({ triggeredBy: 'node-update' });
    expect(
      stopped(r.plan)
        .filter((x) => x.nodeId === a.nodeId)
        .every((x) => x.clientStatus === 'lost'),
    ).toBe(true);
    expect(c.live().length).toBe(3);
  });

  it('marks them unknown, replaces them, then either times out to lost or keeps the original on reconnect', () => {
    const c = setup(600 * S);
    const a = c.live()[0]!;
    const onNode = c.live().filter((x) => x.nodeId === a.nodeId);
    c.nodes.set(a.nodeId, { ...c.nodes.get(a.nodeId)!, status: 'disconnected' });
    const r = c.step({ triggeredBy: 'node-update' });
    expect(r.annotations.desiredTGUpdates.web?.disconnect).toBe(onNode.length);
    expect(stopped(r.plan).length).toBe(0);
    for (const o of onNode) {
      expect(c.allocs.get(o.id)?.clientStatus).toBe('unknown');
      expect(c.allocs.get(o.id)?.desiredStatus).toBe('run');
    }
    const repl = placed(r.plan).filter((x) => x.previousAllocation !== '');
    expect(repl.map((x) => x.name).sort()).toEqual(onNode.map((x) => x.name).sort());
    expect(r.followupEvals.map((e) => [e.triggeredBy, e.waitUntil - c.now])).toEqual([
      ['max-disconnect-timeout', 600 * S],
    ]);
    // Stable while disconnected.
    const again = c.step({ triggeredBy: 'node-update' });
    expect(placed(again.plan).filter((x) => x.createIndex === 0 && x.clientStatus === 'pending').length).toBe(
      0,
    );

    // Branch 1: the client comes back and reports running; its replacements are stopped.
    const back = new Cluster();
    Object.assign(back, { ...c, allocs: new Map(c.allocs), nodes: new Map(c.nodes) });
    back.nodes.set(a.nodeId, { ...back.nodes.get(a.nodeId)!, status: 'ready' });
    back.setClient(
      onNode.map((o) => o.id),
      'running',
    );
    const rb = back.step({ triggeredBy: 'reconnect' });
    expect(rb.annotations.desiredTGUpdates.web?.reconnect).toBe(onNode.length);
    expect(stopped(rb.plan).map((x) => x.desiredDescription)).toEqual(
      onNode.map(() => 'alloc not needed due to disconnected client reconnect'),
    );
    expect(
      back
        .live()
        .map((x) => x.id)
        .sort(),
    ).toEqual(
      [
        ...onNode.map((o) => o.id),
        ...c
          .live()
          .filter((x) => x.nodeId !== a.nodeId && !repl.some((p) => p.id === x.id))
          .map((x) => x.id),
      ].sort(),
    );

    // Branch 2: the window passes; the unknown allocations are lost.
    c.now += 600 * S;
    const rt = c.step({ triggeredBy: 'max-disconnect-timeout', id: r.followupEvals[0]!.id });
    expect(
      stopped(rt.plan)
        .map((x) => [x.id, x.clientStatus])
        .sort(),
    ).toEqual(onNode.map((o) => [o.id, 'lost']).sort());
    expect(c.live().length).toBe(3);
  });
});
