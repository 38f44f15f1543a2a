/**
 * Hostile inputs for the fuzz suite: one named reproducer per class of defect that used to hang,
 * throw or exhaust memory (issue #18), and the job wrapper they are evaluated in.
 */

/** A jobspec whose locals block holds `locals` and whose task driver is `driver`. */
export function jobWith(locals: string, driver = '"docker"'): string {
  return `locals {\n${locals}\n}\njob "x" {\n  group "g" {\n    task "t" {\n      driver = ${driver}\n    }\n  }\n}\n`;
}

/** The same jobspec in HCL's JSON syntax: each local is a `${…}` template of its expression. */
export function jsonJobWith(locals: readonly string[]): string {
  const l = Object.fromEntries(locals.map((e, i) => [`l${i}`, '${' + e + '}']));
  return JSON.stringify({ locals: l, job: { x: { group: { g: { task: { t: { driver: 'docker' } } } } } } });
}

/** One hostile case: HCL source (a whole jobspec) and optional `-var` values. */
export interface HostileCase {
  readonly name: string;
  readonly source: string;
  readonly vars?: Readonly<Record<string, string>>;
  /** The summary of a diagnostic the case must produce, when it must fail. */
  readonly expect?: string;
}

const chain = (n: number, f: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => `  l${i + 1} = ${f(i)}`).join('\n');

/** The reproducers named in issue #18, each a jobspec. */
export const namedCases: readonly HostileCase[] = [
  { name: 'strlen of a 140000-wide format', source: jobWith('  a = strlen(format("%140000d", 1))') },
  {
    name: 'length of 140000 CJK characters',
    source: jobWith(
      '  a = length(join("", [for i in range(1000) : "中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中"]))',
    ),
  },
  {
    name: 'substr, trim and strrev of 140000 combining marks',
    source: jobWith(
      '  s = join("", [for i in range(1000) : join("", [for j in range(70) : "e\u0301"])])\n  a = substr(local.s, 5, 10)\n  b = trim(local.s, "x")\n  c = strrev(local.s)',
    ),
  },
  {
    name: 'regex_replace (a+)+$ on 34 a',
    source: jobWith('  a = regex_replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$", "x")'),
  },
  {
    name: 'regex_replace with a backreference',
    source: jobWith('  a = regex_replace("aa", "(a)\\\\1", "x")'),
    expect: 'Invalid function argument',
  },
  {
    name: 'regex_replace with a lookahead',
    source: jobWith('  a = regex_replace("ab", "a(?=b)", "x")'),
    expect: 'Invalid function argument',
  },
  {
    name: 'setproduct of eight 100-element lists',
    source: jobWith(`  r = range(100)\n  a = setproduct(${Array(8).fill('local.r').join(', ')})`),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'doubling concat chain',
    source: jobWith(`  l0 = range(100)\n${chain(40, (i) => `concat(local.l${i}, local.l${i})`)}`),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'doubling tuple chain (shared structure)',
    source: jobWith(
      `  l0 = [1]\n${chain(60, (i) => `[local.l${i}, local.l${i}]`)}\n  z = jsonencode(local.l60)`,
    ),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'string doubling',
    source: jobWith(`  l0 = "xxxxxxxx"\n${chain(40, (i) => `"\${local.l${i}}\${local.l${i}}"`)}`),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'YAML alias bomb',
    source: jobWith(
      '  y = yamldecode("a: &a [x,x,x,x,x,x,x,x,x]\\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\\n")\n  z = jsonencode(local.y)',
    ),
    expect: 'Evaluation too expensive',
  },
  { name: 'bcrypt cost 31', source: jobWith('  a = bcrypt("x", 31)'), expect: 'Invalid function argument' },
  {
    name: 'bcrypt cost 31 through -var',
    source: `variable "c" {\n  type = number\n}\n${jobWith('  a = bcrypt("x", var.c)')}`,
    vars: { c: '31' },
    expect: 'Invalid function argument',
  },
  {
    name: 'many bcrypt calls share one budget',
    source: jobWith(chain(20, () => 'bcrypt("x", 10)')),
    expect: 'Evaluation too expensive',
  },
  {
    name: '40 locals near the old per-expression limit',
    source: jobWith(chain(40, () => 'length([for a in range(1000) : [for b in range(1000) : b]])')),
    expect: 'Evaluation too expensive',
  },
  {
    name: '5000-deep jsondecode',
    source: jobWith(`  a = jsondecode("${'['.repeat(5000)}${']'.repeat(5000)}")`),
    expect: 'Evaluation too expensive',
  },
  {
    name: '5000-deep yamldecode',
    source: jobWith(`  a = yamldecode("${'['.repeat(5000)}${']'.repeat(5000)}")`),
  },
  { name: '8000-long locals chain', source: jobWith(`  l0 = 0\n${chain(8000, (i) => `local.l${i} + 1`)}`) },
  {
    name: 'a -var value of a 5000-deep tuple',
    source: `variable "v" {\n  type = list(any)\n}\n${jobWith('  a = var.v')}`,
    vars: { v: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  },
  {
    name: 'timeadd overflow',
    source: jobWith('  a = timeadd("2020-01-01T00:00:00Z", "99999999999999999999h")'),
    expect: 'Invalid function argument',
  },
  {
    name: 'JSON jobspec: strlen of a 140000-wide format in a template',
    source: jsonJobWith(['strlen(format("%140000d", 1))']),
  },
  {
    name: 'JSON jobspec: string doubling',
    source: jsonJobWith([
      '"xxxxxxxx"',
      ...Array.from({ length: 40 }, (_, i) => `"\${local.l${i}}\${local.l${i}}"`),
    ]),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'JSON jobspec: 5000-deep meta',
    source: `{"job":{"x":{"meta":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}}`,
  },
  { name: '__proto__ object key', source: jobWith('  a = { "__proto__" = "x" }\n  b = keys(local.a)') },
  {
    name: 'format padding past the string limit',
    source: jobWith('  a = format("%999999999d", 1)'),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'formatlist of big lines',
    source: jobWith('  a = formatlist("%8000000d", range(100))'),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'indent a big string',
    source: jobWith('  a = indent(100000000, "a\\nb\\nc")'),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'replace with the empty string',
    source: jobWith('  s = format("%1000000d", 1)\n  a = replace(local.s, "", local.s)'),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'distinct of many lists',
    source: jobWith('  a = length(distinct([for i in range(1000) : [for j in range(1000): i]]))'),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'template repeating a big string',
    source: jobWith(`  s = format("%1000000d", 1)\n  a = "${Array(100).fill('${local.s}').join('')}"`),
    expect: 'Evaluation too expensive',
  },
  {
    name: 'try does not swallow exhaustion',
    source: jobWith(
      `  a = try(length([for a in range(1000) : [for b in range(1000) : [for c in range(10) : c]]]), 0)`,
    ),
    expect: 'Evaluation too expensive',
  },
];
