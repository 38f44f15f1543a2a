#!/usr/bin/env node
/**
 * The `tsnomad` command. For now one subcommand:
 *
 *   tsnomad demo [job.hcl | job.json ...]
 *
 * runs the jobs (by default every job example of the guide) through a ControlPlane on a
 * simulated cluster and prints per job what `nomad job status` prints. Exit code 0 when every
 * job was accepted, 1 when one failed to decode, validate or register or on an unknown flag
 * (as Nomad's commands), 2 on an unknown subcommand. `-h`/`--help` prints the usage on stdout.
 */
import { runDemoCommand } from './demo.js';

const [command, ...rest] = process.argv.slice(2);
if (command === 'demo') {
  const r = await runDemoCommand(rest);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.exitCode;
} else if (command === '-h' || command === '--help' || command === 'help') {
  process.stdout.write('usage: tsnomad demo [job.hcl | job.json ...]\n');
} else {
  process.stderr.write('usage: tsnomad demo [job.hcl | job.json ...]\n');
  process.exitCode = 2;
}
