/** The event stream's heartbeats and its end at shutdown, on an in-process agent. */
import { describe, expect, it } from 'vitest';
import { EVENT_HEARTBEAT_MS } from '../src/http/routes/events.js';
import { startTestAgent } from './helpers/inProcess.js';

describe('/v1/event/stream heartbeats', () => {
  it("defaults to Nomad's 10 s", () => {
    expect(EVENT_HEARTBEAT_MS).toBe(10_000);
  });

  it('writes {} at the heartbeat period while nothing happens, and ends when the agent stops', async () => {
    const agent = await startTestAgent({}, { eventHeartbeatMs: 100 });
    const res = await fetch(`${agent.address}/v1/event/stream?topic=Job:none`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const t0 = Date.now();
    while ((text.match(/\{\}\n/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
    const took = Date.now() - t0;
    expect(text).toMatch(/^(\{\}\n){3,}$/); // only heartbeats: no event matches the topic
    expect(took).toBeGreaterThanOrEqual(250);
    const stopping = agent.stop();
    const end = await reader.read();
    expect(end.done).toBe(true);
    await stopping;
  });
});
