/**
 * The agent's structured logger: pino, with Nomad's level names. `log_json` writes hclog's JSON
 * keys (`@timestamp`, `@level`, `@module`, `@message`); otherwise lines read like Nomad's
 * (`2026-01-02T03:04:05.000Z [INFO]  http: request complete: method=GET`).
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

const toPino: Record<LogLevel, pino.LevelWithSilent> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  OFF: 'silent',
};

/** Nomad's level name for a pino level. */
export const nomadLevel = (l: pino.LevelWithSilent): LogLevel =>
  (Object.keys(toPino) as LogLevel[]).find((k) => toPino[k] === l) ?? 'INFO';

// hclog's text layout from one pino JSON line.
function textLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { '@timestamp': ts, '@level': level, '@module': mod, '@message': msg, ...rest } = o;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  const lv = `[${String(level).toUpperCase()}]`.padEnd(7);
  return `${String(ts)} ${lv} ${mod ? `${String(mod)}: ` : ''}${String(msg)}${fields ? `: ${fields}` : ''}\n`;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly level: LogLevel;
  readonly json: boolean;
  /** Also append to this file (Nomad's `log_file`). */
  readonly file?: string | undefined;
  /** Where lines go; default stdout. */
  readonly stream?: Writable | undefined;
}

/** Creates the agent logger. Use `setLogLevel` on SIGHUP. */
export function createLogger(o: LoggerOptions): Logger {
  const out: Writable = o.stream ?? process.stdout;
  const file = o.file ? createWriteStream(o.file, { flags: 'a' }) : undefined;
  const dest = {
    write(line: string): void {
      const s = o.json ? line : textLine(line);
      out.write(s);
      file?.write(s);
    },
  };
  return pino(
    {
      level: toPino[o.level],
      base: undefined,
      messageKey: '@message',
      timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ '@level': label }) },
    },
    dest,
  );
}

/** Changes the level of a logger and its children. */
export function setLogLevel(logger: Logger, level: LogLevel): void {
  logger.level = toPino[level];
}
