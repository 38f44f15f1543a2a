/**
 * Hostile HCL and JSON (issue #18): every case must end with a value or a diagnostic within
 * CASE_MS; none may throw, hang or exhaust memory. Cases run in a child process with a 384 MiB
 * heap and a wall-clock timeout, so a hang or an out-of-memory abort fails the test instead of
 * the suite. The bound is checked on the case's CPU time (the child's own clock), which a
 * machine shared with other work does not inflate; the wall-clock timeout (HANG_MS) catches
 * hangs. The named reproducers run first, then fast-check's compositions of the same pieces.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobWith, jsonJobWith, namedCases } from './hostileCases.js';
import type { WorkerReply, WorkerRequest } from './hostileProtocol.js';

/** Bound of one case in CPU milliseconds, measured in the child (HOSTILE_CASE_MS overrides it). */
const CASE_MS = Number(process.env['HOSTILE_CASE_MS'] ?? 1000);
/** Wall-clock milliseconds after which the child is killed and the case counts as a hang. */
const HANG_MS = Number(process.env['HOSTILE_HANG_MS'] ?? 10_000);
const WORKER = fileURLToPath(new URL('./hostileWorker.ts', import.meta.url));

/** One long-lived child that runs cases in turn; replaced after a hang or a crash. */
class CaseRunner {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;

  private start(): Promise<void> {
    const child = fork(WORKER, [], {
      execArgv: ['--conditions=source', '--import', 'tsx', '--max-old-space-size=384'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the worker exited with ${code} while starting`)));
    });
    return this.ready;
  }

  async run(req: Omit<WorkerRequest, 'id'>): Promise<WorkerReply> {
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let stderr = '';
      const onErr = (d: Buffer) => (stderr += d.toString());
      const done = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.stderr?.off('data', onErr);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.id !== id) return;
        done();
        resolve(m);
      };
      const onExit = (code: number | null, signal: string | null) => {
        done();
        this.child = undefined;
        reject(new Error(`the worker died (exit ${code}, signal ${signal}): ${stderr.slice(-500)}`));
      };
      const timer = setTimeout(() => {
        done();
        child.kill('SIGKILL');
        this.child = undefined;
        reject(new Error(`no answer within ${HANG_MS} ms: the case hangs`));
      }, HANG_MS);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.stderr?.on('data', onErr);
      child.send({ id, ...req });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
  }
}

const runner = new CaseRunner();
beforeAll(async () => {
  // Load the modules and warm the JIT once, outside any case's clock.
  await runner.run({ kind: 'jobspec', source: jobWith('  a = upper("x")') });
}, 120_000);
afterAll(() => runner.stop());

/** Runs a case and checks the contract: ended in time, with a value or diagnostics. */
async function survives(req: Omit<WorkerRequest, 'id'>, label: string): Promise<WorkerReply> {
  const r = await runner.run(req).catch((e: Error) => {
    throw new Error(`${label}: ${e.message}\n${req.source.slice(0, 400)}`);
  });
  expect(r.outcome, `${label} threw: ${r.summaries.join('; ')}`).not.toBe('threw');
  expect(r.cpuMs, `${label} took ${Math.round(r.cpuMs)} ms of CPU (${Math.round(r.ms)} ms)`).toBeLessThan(
    CASE_MS,
  );
  return r;
}

describe('named hostile reproducers', () => {
  for (const c of namedCases) {
    it(c.name, async () => {
      const r = await survives(
        { kind: 'jobspec', source: c.source, ...(c.vars ? { vars: c.vars } : {}) },
        c.name,
      );
      if (c.expect !== undefined) {
        expect(r.outcome).toBe('diagnostic');
        expect(r.summaries).toContain(c.expect);
      }
    });
  }

  it('a 5,000-deep JSON var file and a 5,000-deep hclToJson input', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const r = await survives(
      {
        kind: 'jobspec',
        source: `variable "v" {\n  type = any\n}\n${jobWith('  a = var.v')}`,
        varFiles: [{ filename: 'vars.json', content: `{"v": ${deep}}` }],
      },
      'deep var file',
    );
    expect(r.summaries).toContain('Invalid JSON var file');
    const h = await survives({ kind: 'hclToJson', source: `a = ${deep}\n` }, 'deep hclToJson');
    expect(h.summaries).toContain('Nesting too deep');
  });

  it('blocks labelled __proto__ and constructor convert to JSON', async () => {
    const r = await survives(
      { kind: 'hclToJson', source: 'job "__proto__" {\n  a = 1\n}\njob "constructor" {\n  b = 2\n}\n' },
      'proto labels',
    );
    expect(r.outcome).toBe('result');
  });
});

// ---- generated cases: hostile pieces composed at random ----

/** Strings that stress grapheme, regex and template handling. */
const nastyString = fc.constantFrom(
  'abc',
  'e\\u0301',
  '中文',
  '\\r\\n',
  '👨‍👩‍👧',
  '🇯🇵',
  '\\u001b[2J',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!',
  '${"x"}',
);
const evilPattern = fc.constantFrom(
  '(a+)+$',
  '(x+x+)+y',
  '(a|aa)+$',
  '([a-z]+)*!',
  '(a)\\\\1',
  'a(?=b)',
  '(?<=a)b',
  '',
  '.*.*.*=.*',
  '[',
  '(?i)A+',
);
const bigNumber = fc.oneof(
  fc.integer({ min: 0, max: 2000 }),
  fc.constantFrom(100_000, 140_000, 10_000_000, 999_999_999),
);

/** An expression over `prev` (the previous local) and hostile constants. */
const hostileExpr = (prev: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(bigNumber).map(([n]) => `format("%${n}d", 1)`),
    nastyString.map((s) => `"${s}"`),
    fc.constantFrom(
      `strlen(${prev})`,
      `length(${prev})`,
      `substr(${prev}, 1, 100000)`,
      `trim(${prev}, "a")`,
      `strrev(${prev})`,
      `"\${${prev}}\${${prev}}"`,
      `[${prev}, ${prev}]`,
      `concat(${prev}, ${prev})`,
      `setproduct(${prev}, ${prev}, ${prev})`,
      `jsonencode(${prev})`,
      `yamlencode(${prev})`,
      `jsondecode(jsonencode(${prev}))`,
      `flatten([${prev}, [${prev}]])`,
      `distinct(${prev})`,
      `join(",", ${prev})`,
      `split("", ${prev})`,
      `replace(${prev}, "", ${prev})`,
      `indent(1000000, ${prev})`,
      `formatlist("%1000000d", ${prev})`,
      `{ for k, v in ${prev} : k => v }`,
      `[for a in range(1000) : [for b in range(1000) : ${prev}]]`,
      `try(${prev}, ${prev})`,
      `can(${prev})`,
      `keys({ "__proto__" = ${prev}, constructor = 1 })`,
      `timeadd("2020-01-01T00:00:00Z", "99999999999999999h")`,
      `range(1000)`,
    ),
    evilPattern.map((p) => `regex_replace(${prev}, "${p}", "$1")`),
    fc.integer({ min: 0, max: 40 }).map((c) => `bcrypt("x", ${c})`),
    fc.integer({ min: 1, max: 6000 }).map((d) => `jsondecode("${'['.repeat(d)}${']'.repeat(d)}")`),
    fc.integer({ min: 1, max: 12 }).map((d) => {
      // A YAML alias bomb: each level repeats the previous one nine times.
      let y = 'a0: &a0 [x,x,x,x,x,x,x,x,x]\\n';
      for (let i = 1; i < d; i++)
        y += `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(',')}]\\n`;
      return `yamldecode("${y}")`;
    }),
  );

/** A jobspec whose locals chain `length` hostile expressions, each over the one before. */
const hostileJob = fc
  .integer({ min: 1, max: 12 })
  .chain((length) =>
    fc
      .tuple(...Array.from({ length }, (_, i) => hostileExpr(i === 0 ? '"seed"' : `local.l${i - 1}`)))
      .map((exprs) => jobWith(exprs.map((e, i) => `  l${i} = ${e}`).join('\n'))),
  );

/** The same chains as JSON jobspecs (HCL's JSON syntax, templates evaluated the same way). */
const hostileJsonJob = fc
  .integer({ min: 1, max: 12 })
  .chain((length) =>
    fc.tuple(...Array.from({ length }, (_, i) => hostileExpr(i === 0 ? '"seed"' : `local.l${i - 1}`))),
  )
  .map((exprs) => jsonJobWith(exprs));

/** API job JSON with hostile shapes where a job's fields go. */
const hostileJson = fc
  .tuple(
    fc.integer({ min: 1, max: 6000 }),
    fc.integer({ min: 0, max: 10_000 }),
    fc.constantFrom('Count', 'Meta', 'Config', 'Name', '__proto__', 'constructor', 'Priority'),
    fc.constantFrom(
      '1e400',
      '-0',
      '1.5',
      '"\\u001b[2J"',
      'null',
      '{"__proto__":{"x":1}}',
      '123456789012345678901234567890',
    ),
  )
  .map(([depth, width, key, scalar]) => {
    const deep = `${'{"a":'.repeat(depth)}${scalar}${'}'.repeat(depth)}`;
    const wide = `[${Array(width).fill(scalar).join(',')}]`;
    return `{"ID":"x","Name":"x","Meta":{"${key}":${scalar}},"TaskGroups":[{"Name":"g","${key}":${deep},"Tasks":[{"Name":"t","Driver":"raw_exec","Config":{"deep":${deep},"wide":${wide}}}]}],"${key}":${wide}}`;
  });

describe('generated hostile input', () => {
  it('HCL jobspecs composed of hostile pieces', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJob, async (source) => {
        await survives({ kind: 'jobspec', source }, 'generated jobspec');
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it('the same compositions as JSON jobspecs', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJsonJob, async (source) => {
        await survives({ kind: 'jobspec', source }, 'generated JSON jobspec');
      }),
      { numRuns: 10 },
    );
  }, 300_000);

  it('hclToJson on the same documents', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJob, async (source) => {
        await survives({ kind: 'hclToJson', source }, 'generated hclToJson');
      }),
      { numRuns: 20 },
    );
  }, 300_000);

  it('API job JSON through decodeJob and validateJob', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson, async (source) => {
        await survives({ kind: 'apiJson', source }, 'generated API JSON');
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});
