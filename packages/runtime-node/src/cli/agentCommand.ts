/**
 * `tsnomad agent`: resolves the configuration (`-dev`, `-config` files, flags) and runs
 * `startAgent` until SIGINT/SIGTERM (graceful stop, exit 0). SIGHUP re-reads the configuration
 * files and applies the log level. A bad configuration prints every problem with its
 * file:line:col and exits 1.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import {
  devConfig,
  loadConfigPaths,
  mergeConfig,
  parseLogLevel,
  resolveConfig,
  type RawConfig,
} from '../agent/config.js';
import { startAgent } from '../agent/startAgent.js';

/** The flags of `tsnomad agent` as commander parses them. */
interface AgentFlags {
  dev?: boolean;
  config: string[];
  server?: boolean;
  client?: boolean;
  dataDir?: string;
  bind?: string;
  region?: string;
  dc?: string;
  node?: string;
  logLevel?: string;
  logJson?: boolean;
}

/** The flags as a configuration fragment that overrides the files. */
export function flagsToConfig(f: AgentFlags): RawConfig {
  const c: RawConfig = {};
  if (f.server) c.server = { enabled: true };
  if (f.client) c.client = { enabled: true };
  if (f.dataDir !== undefined) c.data_dir = f.dataDir;
  if (f.bind !== undefined) c.bind_addr = f.bind;
  if (f.region !== undefined) c.region = f.region;
  if (f.dc !== undefined) c.datacenter = f.dc;
  if (f.node !== undefined) c.name = f.node;
  if (f.logLevel !== undefined) c.log_level = f.logLevel.toUpperCase();
  if (f.logJson) c.log_json = true;
  return c;
}

/** Files first (dev base below them), flags on top. */
function load(f: AgentFlags): { ok: true; raw: RawConfig } | { ok: false; errors: string[] } {
  const files = loadConfigPaths(f.config);
  if (!files.ok) return files;
  return { ok: true, raw: mergeConfig(mergeConfig(f.dev ? devConfig() : {}, files.value), flagsToConfig(f)) };
}

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run a tsnomad agent (server; the client host arrives with the client issue)')
    .option('--dev', 'development mode: server and client on 127.0.0.1:4646, fresh temporary data dir')
    .option(
      '--config <path>',
      'configuration file or directory (HCL or JSON); repeatable',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--server', 'enable server mode')
    .option('--client', 'enable client mode')
    .option('--data-dir <path>', 'data directory')
    .option('--bind <addr>', 'address to bind network services to')
    .option('--region <name>', 'region (default global)')
    .option('--dc <name>', 'datacenter (default dc1)')
    .option('--node <name>', 'node name (default the host name)')
    .option('--log-level <level>', 'TRACE, DEBUG, INFO, WARN, ERROR or OFF')
    .option('--log-json', 'log as JSON')
    .action(async (f: AgentFlags) => {
      if (f.logLevel !== undefined && !parseLogLevel(f.logLevel)) {
        process.stderr.write(
          `Invalid log level: ${f.logLevel} (expected TRACE, DEBUG, INFO, WARN, ERROR or OFF)\n`,
        );
        process.exitCode = 1;
        return;
      }
      const loaded = load(f);
      if (!loaded.ok) {
        process.stderr.write(`Error loading configuration:\n${loaded.errors.join('\n')}\n`);
        process.exitCode = 1;
        return;
      }
      const config = resolveConfig(loaded.raw, { devMode: !!f.dev, hostname: hostname() });
      if (!config.server.enabled) {
        process.stderr.write(
          'Must specify either server, client or dev mode for the agent (only the server is available in this version).\n',
        );
        process.exitCode = 1;
        return;
      }
      let agent: Awaited<ReturnType<typeof startAgent>>;
      try {
        agent = await startAgent(config);
      } catch (e) {
        process.stderr.write(`Error starting agent: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
        return;
      }
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          agent.logger.info({ '@module': 'agent', signal }, 'caught signal');
          void agent.stop().then(resolve);
        };
        process.once('SIGINT', () => shutdown('interrupt'));
        process.once('SIGTERM', () => shutdown('terminated'));
        process.on('SIGHUP', () => {
          const again = load(f);
          if (!again.ok) {
            agent.logger.error(
              { '@module': 'agent', errors: again.errors },
              'reload failed: keeping the running configuration',
            );
            return;
          }
          const level = resolveConfig(again.raw).logLevel;
          agent.setLogLevel(level);
          agent.logger.info({ '@module': 'agent', log_level: level }, 'reloaded configuration');
        });
      });
      process.exitCode = 0;
    });
}
