#!/usr/bin/env node
/**
 * The `tsnomad` command. For now one subcommand:
 *
 *   tsnomad demo [job.hcl | job.json ...]
 *
 * runs the jobs (by default every job example of the guide) through a ControlPlane on a
 * simulated cluster and prints per job what `nomad job status` prints. Exit code 0 when every
 * job was accepted, 1 when one failed to decode, validate or register, 2 on bad usage.
 */
import { runDemo } from './demo.js';

const [command, ...rest] = process.argv.slice(2);
if (command === 'demo') {
  const r = await runDemo({ files: rest });
  process.stdout.write(r.output);
  process.exitCode = r.exitCode;
} else {
  process.stderr.write('usage: tsnomad demo [job.hcl | job.json ...]\n');
  process.exitCode = 2;
}
