import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/diagnostics.js';
import { decodeJobspec, parseJobspec, type ParseJobspecOptions } from '../../src/jobspec/parseJobspec.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** The decoded (not canonicalized) job, failing loudly with the rendered diagnostics. */
function decode(src: string, opts: ParseJobspecOptions = {}): Loose {
  const r = decodeJobspec(src, { filename: 'test.nomad.hcl', ...opts });
  if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics));
  return r.value as Loose;
}

function errors(src: string, opts: ParseJobspecOptions = {}): string {
  const r = decodeJobspec(src, { filename: 'test.nomad.hcl', ...opts });
  if (r.ok) throw new Error('expected diagnostics, got a job');
  return formatDiagnostics(r.diagnostics);
}

const task = (body: string): string => `job "j" {\n  group "g" {\n    task "t" {\n${body}\n    }\n  }\n}\n`;
const firstTask = (job: Loose): Loose => job['taskGroups'][0]['tasks'][0];

describe('run-time references are kept as ${…} text', () => {
  it('in plain strings, interpolations and attribute values', () => {
    const job = decode(
      task(`      driver = "exec"
      config {
        command = "\${NOMAD_TASK_DIR}/run"
        args    = ["--arch", "\${attr.cpu.arch}", "--dc=\${node.datacenter}"]
      }
      env {
        HOST = "\${meta.rack}"
        IP   = "\${NOMAD_IP_http}:\${NOMAD_PORT_http}"
      }`),
    );
    const t = firstTask(job);
    expect(t['config']).toEqual({
      command: '${NOMAD_TASK_DIR}/run',
      args: ['--arch', '${attr.cpu.arch}', '--dc=${node.datacenter}'],
    });
    expect(t['env']).toEqual({ HOST: '${meta.rack}', IP: '${NOMAD_IP_http}:${NOMAD_PORT_http}' });
  });

  it('inside heredocs, leaving {{ }} template text untouched', () => {
    const job = decode(
      task(`      driver = "exec"
      template {
        destination = "local/app.conf"
        data        = <<EOT
addr = \${attr.unique.network.ip-address}
{{ range service "db" }}{{ .Address }}{{ end }}
name = \${var.name}
EOT
      }`) + 'variable "name" {\n  default = "web"\n}\n',
    );
    expect(firstTask(job)['templates'][0]['embeddedTmpl']).toBe(
      'addr = ${attr.unique.network.ip-address}\n{{ range service "db" }}{{ .Address }}{{ end }}\nname = web\n',
    );
  });

  it('through locals and function-wrapped references', () => {
    const job = decode(
      `locals {
  dir  = "\${NOMAD_ALLOC_DIR}/data"
  arch = upper(attr.cpu.arch)
}
` +
        task(`      driver = "exec"
      config {
        path = local.dir
        arch = local.arch
        both = "\${local.dir}/\${lower(node.class)}"
      }`),
    );
    expect(firstTask(job)['config']).toEqual({
      path: '${NOMAD_ALLOC_DIR}/data',
      arch: '${upper(attr.cpu.arch)}',
      both: '${NOMAD_ALLOC_DIR}/data/${lower(node.class)}',
    });
  });

  it('in constraints', () => {
    const job = decode(
      'job "j" {\n  constraint {\n    attribute = "${attr.kernel.name}"\n    value = "linux"\n  }\n}\n',
    );
    expect(job['constraints']).toEqual([{ ltarget: '${attr.kernel.name}', rtarget: 'linux', operand: '=' }]);
  });
});

describe('variables', () => {
  const src =
    'variable "image" {\n  type = string\n  default = "from-default"\n}\n' +
    'variable "count" {\n  type = number\n  default = 1\n}\n' +
    'job "j" {\n  meta {\n    image = var.image\n  }\n  group "g" {\n    count = var.count\n  }\n}\n';
  const image = (opts: ParseJobspecOptions): unknown => decode(src, opts)['meta']['image'];

  it('apply default -> NOMAD_VAR_ env -> var files -> -var flags, later wins', () => {
    expect(image({})).toBe('from-default');
    expect(image({ env: { NOMAD_VAR_image: 'from-env' } })).toBe('from-env');
    const file = { filename: 'a.vars.hcl', content: 'image = "from-file"\n' };
    expect(image({ env: { NOMAD_VAR_image: 'from-env' }, varFiles: [file] })).toBe('from-file');
    const json = { filename: 'b.json', content: '{"image": "from-json"}' };
    expect(image({ varFiles: [file, json] })).toBe('from-json');
    expect(image({ env: { NOMAD_VAR_image: 'e' }, varFiles: [file], vars: { image: 'from-flag' } })).toBe(
      'from-flag',
    );
  });

  it('convert values to the declared type', () => {
    expect(decode(src, { vars: { count: '3' } })['taskGroups'][0]['count']).toBe(3);
    expect(errors(src, { vars: { count: '"many"' } })).toMatch(/Invalid value for variable; number expected/);
    const typed =
      'variable "dcs" {\n  type = list(string)\n}\nvariable "o" {\n  type = object({ n = number })\n}\n' +
      'job "j" {\n  datacenters = var.dcs\n  priority = var.o.n\n}\n';
    const job = decode(typed, { vars: { dcs: '["a", "b"]', o: '{ n = "70" }' } });
    expect(job['datacenters']).toEqual(['a', 'b']);
    expect(job['priority']).toBe(70);
  });

  it('are strict: unknown names and unset variables are errors with positions', () => {
    expect(errors(src, { vars: { nope: 'x' } })).toMatch(
      /Undefined -var variable; a "nope" variable was passed in/,
    );
    expect(errors(src, { varFiles: [{ filename: 'x.hcl', content: 'nope = 1\n' }] })).toMatch(
      /^x\.hcl:1:8: Undefined variable/,
    );
    expect(errors('variable "x" {}\njob "j" {}\n')).toMatch(/test\.nomad\.hcl:1:10: Unset variable "x"/);
    expect(errors('job "j" {\n  region = var.missing\n}\n')).toMatch(
      /test\.nomad\.hcl:2:\d+: Unsupported attribute/,
    );
  });

  it('accept the variables {} form and run validation blocks', () => {
    expect(decode('variables {\n  r = "eu"\n}\njob "j" {\n  region = var.r\n}\n')['region']).toBe('eu');
    const v =
      'variable "p" {\n  type = number\n  default = 5\n  validation {\n    condition = var.p > 10\n    error_message = "p must exceed 10"\n  }\n}\njob "j" {}\n';
    expect(errors(v)).toMatch(/Invalid value for variable; p must exceed 10/);
    expect(() => decode(v, { vars: { p: '11' } })).not.toThrow();
  });

  it('reports bad type expressions', () => {
    expect(errors('variable "x" {\n  type = lst(string)\n}\njob "j" {}\n')).toMatch(
      /Invalid type specification/,
    );
  });
});

describe('functions through the evaluator', () => {
  it('variadic and fixed functions receive their arguments', () => {
    const job = decode(
      `locals {
  m = merge({ a = "1" }, { b = "2" }, { a = "3" })
}
job "j" {
  meta {
    fmt    = format("%s-%03d", "web", 7)
    joined = join(",", ["a", "b"], ["c"])
    max    = max(3, 9, 4)
    look   = lookup(local.m, "zz", "dflt")
    merged = jsonencode(local.m)
    subs   = jsonencode(cidrsubnets("10.0.0.0/16", 8, 8))
    rng    = jsonencode(range(3))
    spread = max([1, 5, 2]...)
    deferred = format("%s", attr.cpu.arch)
  }
}
`,
    );
    expect(job['meta']).toEqual({
      fmt: 'web-007',
      joined: 'a,b,c',
      max: '9',
      look: 'dflt',
      merged: '{"a":"3","b":"2"}',
      subs: '["10.0.0.0/24","10.0.1.0/24"]',
      rng: '[0,1,2]',
      spread: '5',
      deferred: '${format("%s", attr.cpu.arch)}',
    });
  });

  it('report function errors at the argument', () => {
    expect(errors('job "j" {\n  meta {\n    x = lookup({}, "k")\n  }\n}\n')).toMatch(
      /3:20: Invalid function argument; lookup: lookup failed to find key "k"/,
    );
  });
});

describe('locals', () => {
  it('resolve in dependency order whatever the source order', () => {
    const job = decode(
      'locals {\n  b = "${local.a}-b"\n  a = upper("x")\n}\njob "j" {\n  region = local.b\n}\n',
    );
    expect(job['region']).toBe('X-b');
  });

  it('report cycles', () => {
    expect(errors('locals {\n  a = local.b\n  b = local.a\n}\njob "j" {}\n')).toMatch(
      /Cycle in local values; local\.a -> local\.b -> local\.a/,
    );
  });
});

describe('dynamic blocks', () => {
  it('generate one block per element with iterator, labels and nesting', () => {
    const job = decode(
      `locals {
  ports = { http = 8080, admin = 9000 }
}
job "j" {
  group "g" {
    network {
      dynamic "port" {
        for_each = local.ports
        iterator = p
        labels   = [p.key]
        content {
          to = p.value
        }
      }
    }
    task "t" {
      driver = "exec"
      dynamic "template" {
        for_each = ["a", "b"]
        content {
          destination = "local/\${template.value}.txt"
          data        = "n=\${template.key}"
        }
      }
    }
  }
}
`,
    );
    expect(job['taskGroups'][0]['networks'][0]['dynamicPorts']).toEqual([
      { label: 'admin', to: 9000 },
      { label: 'http', to: 8080 },
    ]);
    expect(firstTask(job)['templates']).toEqual([
      { destPath: 'local/a.txt', embeddedTmpl: 'n=0' },
      { destPath: 'local/b.txt', embeddedTmpl: 'n=1' },
    ]);
  });

  it('stop generating past a budget on hostile nesting', () => {
    const nested = (depth: number): string =>
      depth === 0
        ? 'content {}'
        : `dynamic "meta" {\n for_each = range(1000)\n content {\n${nested(depth - 1)}\n}\n}`;
    const src = `job "j" {\n  group "g" {\n    task "t" {\n      config {\n${nested(3)}\n}\n    }\n  }\n}\n`;
    expect(errors(src)).toMatch(/Too many dynamic blocks/);
  });

  it('refuse a for_each known only at run time', () => {
    expect(
      errors(task('      dynamic "artifact" {\n        for_each = attr.list\n        content {}\n      }')),
    ).toMatch(/Invalid dynamic for_each value/);
  });
});

describe('file functions', () => {
  const src = 'job "j" {\n  meta {\n    conf = file("conf/app.conf")\n  }\n}\n';
  const readFile = (p: string): Uint8Array => {
    if (p === '/jobs/conf/app.conf') return new TextEncoder().encode('port=1\n');
    throw new Error('ENOENT');
  };

  it('are refused unless file access is allowed', () => {
    expect(errors(src, { filename: '/jobs/web.hcl', readFile })).toMatch(/filesystem functions disabled/);
  });

  it('read relative to the jobspec directory when allowed', () => {
    expect(decode(src, { filename: '/jobs/web.hcl', readFile, allowFs: true })['meta']['conf']).toBe(
      'port=1\n',
    );
  });
});

describe('decoder shapes', () => {
  it('applies operator shorthands in constraints and affinities', () => {
    const job = decode(
      'job "j" {\n  constraint {\n    distinct_hosts = true\n  }\n  constraint {\n    attribute = "${attr.os.version}"\n    version = ">= 1.2"\n  }\n  constraint {\n    distinct_property = "${meta.rack}"\n    value = "2"\n  }\n  affinity {\n    attribute = "${node.class}"\n    regexp = "^m5"\n    weight = 40\n  }\n}\n',
    );
    expect(job['constraints']).toEqual([
      // jobspec2's decodeConstraint: RTarget is fmt.Sprint of the bool.
      { ltarget: '', rtarget: 'true', operand: 'distinct_hosts' },
      { ltarget: '${attr.os.version}', rtarget: '>= 1.2', operand: 'version' },
      { ltarget: '${meta.rack}', rtarget: '2', operand: 'distinct_property' },
    ]);
    expect(job['affinities']).toEqual([
      { ltarget: '${node.class}', rtarget: '^m5', operand: 'regexp', weight: 40 },
    ]);
  });

  it('moves static ports to reserved ports, parses durations, accepts meta as attribute', () => {
    const job = decode(
      'job "j" {\n  meta = { a = 1 }\n  group "g" {\n    network {\n      port "http" {\n        static = 80\n      }\n      port "db" {}\n    }\n    restart {\n      delay = "1m30s"\n    }\n  }\n}\n',
    );
    expect(job['meta']).toEqual({ a: '1' });
    expect(job['taskGroups'][0]['networks'][0]).toEqual({
      reservedPorts: [{ label: 'http', value: 80 }],
      dynamicPorts: [{ label: 'db' }],
    });
    expect(job['taskGroups'][0]['restartPolicy']).toEqual({ delay: 90e9 });
  });

  it('turns a task directly under the job into its own group', () => {
    const r = parseJobspec(
      'job "j" {\n  datacenters = ["dc1"]\n  task "solo" {\n    driver = "exec"\n  }\n}\n',
    );
    if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics));
    expect(r.value.taskGroups.map((g) => [g.name, g.count, g.tasks.map((t) => t.name)])).toEqual([
      ['solo', 1, ['solo']],
    ]);
  });

  it('treats prototype names as ordinary keys', () => {
    expect(errors('job "j" {\n  constructor = 1\n  toString {}\n}\n')).toMatch(
      /2:3: Unsupported argument[\s\S]*3:3: Unsupported block type/,
    );
    const t = firstTask(
      decode(task('      driver = "exec"\n      config {\n        __proto__ = { polluted = true }\n      }')),
    );
    expect(Object.keys(t['config'])).toEqual(['__proto__']);
    expect(({} as Loose)['polluted']).toBeUndefined();
  });

  it('points validation problems at the block they concern', () => {
    const r = parseJobspec(
      'job "j" {\n  datacenters = ["dc1"]\n  group "g" {\n    task "ok" {\n      driver = "exec"\n    }\n    task "bad" {}\n  }\n}\n',
      { filename: 'v.hcl' },
    );
    if (r.ok) throw new Error('expected a validation problem');
    expect(formatDiagnostics(r.diagnostics)).toMatch(
      /^v\.hcl:7:5: Invalid job: Job\.TaskGroups\[0\]\.Tasks\[1\]\.Driver; Missing task driver/,
    );
  });

  it('reports unknown attributes and blocks with positions, several at once', () => {
    const out = errors('job "j" {\n  colour = "red"\n  group "g" {\n    widget {}\n  }\n}\n');
    expect(out).toMatch(
      /test\.nomad\.hcl:2:3: Unsupported argument; an argument named "colour" is not expected here/,
    );
    expect(out).toMatch(
      /test\.nomad\.hcl:4:5: Unsupported block type; blocks of type "widget" are not expected here/,
    );
    expect(errors('job "j" {\n  group "g" {\n    restart {\n      delay = "soon"\n    }\n  }\n}\n')).toMatch(
      /4:15: Unsuitable value type; Unsuitable duration value: time: invalid duration "soon"/,
    );
  });
});
