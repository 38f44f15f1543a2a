/** The agent logger: Nomad's level names, hclog's text and JSON layouts, log_file, level reload. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, setLogLevel } from './logger.js';

const sink = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
};

describe('agent logger', () => {
  it('writes hclog-style text lines with Nomad level names', () => {
    const { lines, stream } = sink();
    const log = createLogger({ level: 'INFO', json: false, stream });
    log.info({ '@module': 'http', method: 'GET', path: '/v1/jobs' }, 'request complete');
    log.debug({ '@module': 'http' }, 'hidden');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[INFO\] {2}http: request complete: method=GET path=\/v1\/jobs\n$/,
    );
  });

  it('writes JSON with @timestamp, @level, @module, @message and follows a level change', () => {
    const { lines, stream } = sink();
    const log = createLogger({ level: 'WARN', json: true, stream });
    log.info({ '@module': 'agent' }, 'not yet');
    setLogLevel(log, 'DEBUG');
    log.debug({ '@module': 'agent', n: 1 }, 'now');
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(o).toMatchObject({ '@level': 'debug', '@module': 'agent', '@message': 'now', n: 1 });
    expect(typeof o['@timestamp']).toBe('string');
    setLogLevel(log, 'OFF');
    log.error({}, 'silenced');
    expect(lines).toHaveLength(1);
  });

  it('also appends to log_file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnomad-log-'));
    try {
      const { stream } = sink();
      const file = join(dir, 'agent.log');
      const log = createLogger({ level: 'INFO', json: false, stream, file });
      log.warn({ '@module': 'agent' }, 'to the file');
      await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(file, 'utf8')).toMatch(/\[WARN\] {2}agent: to the file\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
