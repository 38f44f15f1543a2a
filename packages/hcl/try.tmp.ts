import { readFileSync } from 'node:fs';
import { parseJobspec, formatDiagnostics } from '@tsnomad/hcl';
import { encodeJob } from '@tsnomad/core';
const f = process.argv[2]!;
const r = parseJobspec(readFileSync(f, 'utf8'), { filename: f });
if (!r.ok) console.log(formatDiagnostics(r.diagnostics));
else { console.log(JSON.stringify(encodeJob(r.value), null, 1).slice(0, Number(process.argv[3] ?? 4000))); if (r.warnings.length) console.log(formatDiagnostics(r.warnings)); }
