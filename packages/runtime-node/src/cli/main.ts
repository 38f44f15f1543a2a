#!/usr/bin/env node
/**
 * The `tsnomad` command: a small router over subcommands (commander). Each subcommand lives in
 * its own module and registers itself here.
 *
 *   tsnomad agent [-dev] [-config FILE|DIR ...] [flags]   run an agent (see docs/agent-config.md)
 *   tsnomad demo [job.hcl | job.json ...]                 the guide's jobs on a simulated cluster
 *
 * Like Nomad's, flags take one dash (`-dev`, `-data-dir=/x`); two dashes work too. Exit codes:
 * 0 success, 1 failure, 2 bad usage.
 */
import { Command, CommanderError } from 'commander';
import { registerAgentCommand } from './agentCommand.js';
import { runDemoCommand } from './demo.js';

// Nomad's single-dash long flags become commander's `--flag`.
const argv = process.argv.slice(2).map((a) => (/^-[a-zA-Z][\w-]+(=.*)?$/.test(a) ? `-${a}` : a));

const program = new Command('tsnomad')
  .description('HashiCorp Nomad rebuilt in TypeScript')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('demo')
  .description("run the guide's jobs (or the given job files) through a ControlPlane on a simulated cluster")
  .argument('[files...]', 'job files (.hcl, .nomad or API JSON)')
  // demo reads its own flags (-h/--help, unknown flags are usage errors, `--` ends flags).
  .helpOption(false)
  .allowUnknownOption()
  .allowExcessArguments()
  .action(async () => {
    // The raw words after `demo`: commander would drop a `--` that demo must see.
    const raw = process.argv.slice(2);
    const r = await runDemoCommand(raw.slice(raw.indexOf('demo') + 1));
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.exitCode;
  });

registerAgentCommand(program);

try {
  await program.parseAsync(argv, { from: 'user' });
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version are not failures; anything else is bad usage.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`tsnomad: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
