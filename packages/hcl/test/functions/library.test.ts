import { describe, expect, it } from 'vitest';
import { packArgs } from '../../src/functions/args.js';
import { jobspecFunctions } from '../../src/functions/library.js';
import { FunctionError, type FunctionContext } from '../../src/functions/types.js';
import type { HclValue } from '../../src/values.js';

const ctx: FunctionContext = {
  now: () => 0,
  randomBytes: (n) => Uint8Array.from({ length: n }, (_, i) => i),
};

function call(name: string, ...args: HclValue[]): HclValue {
  const f = jobspecFunctions()[name];
  if (!f) throw new Error(`function ${name} missing from the library`);
  return f.call(packArgs(f, args), ctx);
}

function fails(name: string, args: HclValue[], message: RegExp): void {
  expect(() => call(name, ...args)).toThrow(FunctionError);
  expect(() => call(name, ...args)).toThrow(message);
}

describe('library contents', () => {
  it('has every function jobspec2 registers except the lazy/evaluator ones', () => {
    const names =
      'abs rsadecrypt base64decode base64encode bcrypt ceil chomp chunklist cidrhost cidrnetmask cidrsubnet cidrsubnets coalesce coalescelist compact concat contains csvdecode distinct element flatten floor format formatdate formatlist indent index join jsondecode jsonencode keys length log lookup lower max merge min parseint pow range reverse replace regex_replace setintersection setproduct setunion sha256 sha512 signum slice sort split strlen strrev substr timeadd title trim trimprefix trimsuffix trimspace upper urlencode uuidv4 uuidv5 values yamldecode yamlencode zipmap abspath basename dirname file filebase64 fileexists fileset pathexpand';
    const missing = names.split(' ').filter((n) => !(n in jobspecFunctions()));
    expect(missing).toEqual([]);
  });
});

describe('numeric', () => {
  it.each<[string, HclValue[], HclValue]>([
    ['abs', [-3.5], 3.5],
    ['ceil', [1.2], 2],
    ['floor', [-1.2], -2],
    ['log', [16, 2], 4],
    ['pow', [3, 2], 9],
    ['signum', [-7], -1],
    ['signum', [0], 0],
    ['max', [12, 54, 3], 54],
    ['min', [12, '54', 3], 3],
    ['parseint', ['100', 10], 100],
    ['parseint', ['FF', 16], 255],
    ['parseint', ['-11', 2], -3],
    ['parseint', ['zZ', 62], 35 * 62 + 61],
    ['abs', ['-2'], 2],
  ])('%s(%j) = %j', (name, args, out) => expect(call(name, ...args)).toEqual(out));

  it('refuses bad input', () => {
    fails('parseint', ['12', 1], /base must be between 2 and 62/);
    fails('parseint', ['12x', 10], /cannot parse "12x" as a base 10 integer/);
    fails('abs', ['x'], /a number is required/);
    fails('max', [], /at least one number/);
  });
});

describe('strings', () => {
  it.each<[string, HclValue[], HclValue]>([
    ['chomp', ['hello\n\r\n'], 'hello'],
    ['indent', [2, 'a\nb\nc'], 'a\n  b\n  c'],
    ['join', [', ', ['a', 'b'], ['c']], 'a, b, c'],
    ['join', ['-', [1, true]], '1-true'],
    ['split', [',', 'a,b,,c'], ['a', 'b', '', 'c']],
    ['lower', ['HeLLo'], 'hello'],
    ['upper', ['héllo'], 'HÉLLO'],
    ['title', ['hello world-wide'], 'Hello World-Wide'],
    ['trim', ['?!hello?!', '!?'], 'hello'],
    ['trimprefix', ['helloworld', 'hello'], 'world'],
    ['trimsuffix', ['helloworld', 'world'], 'hello'],
    ['trimspace', ['  \n hi \t '], 'hi'],
    ['replace', ['1 + 2 + 3', '+', '-'], '1 - 2 - 3'],
    ['regex_replace', ['hello world', 'o(\\w)?', '0$1'], 'hell0 w0rld'],
    ['regex_replace', ['a-b', '(?P<x>\\w)-(\\w)', '${2}=${x}'], 'b=a'],
    ['strlen', ['héllo👍🏽'], 6],
    ['strrev', ['abc👍🏽'], '👍🏽cba'],
    ['reverse', ['abc'], 'cba'],
    ['substr', ['hello world', 1, 4], 'ello'],
    ['substr', ['hello world', -5, -1], 'world'],
    ['substr', ['hello', 10, 2], ''],
    ['upper', [5], '5'],
  ])('%s(%j) = %j', (name, args, out) => expect(call(name, ...args)).toEqual(out));

  it('reverse is the string reverse, as jobspec2 registers it', () => {
    fails('reverse', [[1, 2]], /string required/);
  });
});

describe('format and formatlist', () => {
  it.each<[HclValue[], string]>([
    [['Hello, %s!', 'Ander'], 'Hello, Ander!'],
    [['There are %d lights', 4], 'There are 4 lights'],
    [['%5.2f|%-5d|%05d', 3.14159, 42, -42], ' 3.14|42   |-0042'],
    [['%+d %x %X %o %b %#x', 5, 255, 255, 8, 5, 255], '+5 ff FF 10 101 0xff'],
    [['%e %g %G', 123456.789, 0.00001234, 1e21], '1.234568e+05 1.234e-05 1E+21'],
    [['%q %t %v %v', 'a"b', true, 1.5, ['x']], '"a\\"b" true 1.5 ["x"]'],
    [['%#v', { a: 1 }], '{"a":1}'],
    [['%[2]s %[1]s %%', 'a', 'b'], 'b a %'],
    [['%.3s|%6s', 'abcdef', 'ab'], 'abc|    ab'],
  ])('format(%j) = %j', (args, out) => expect(call('format', ...args)).toBe(out));

  it('reports argument mistakes', () => {
    fails('format', ['%s %s', 'a'], /not enough arguments/);
    fails('format', ['%s', 'a', 'b'], /too many arguments; only 1 used/);
    fails('format', ['%d', 1.5], /an integer is required/);
    fails('format', ['%t', 'x'], /bool required/);
  });

  it('formatlist repeats scalars and walks lists in step', () => {
    expect(call('formatlist', 'Hello, %s! (%s)', ['Valentina', 'Ander'], 'x')).toEqual([
      'Hello, Valentina! (x)',
      'Hello, Ander! (x)',
    ]);
    fails('formatlist', ['%s %s', ['a'], ['b', 'c']], /inconsistent/);
  });
});

describe('collections', () => {
  it.each<[string, HclValue[], HclValue]>([
    ['chunklist', [['a', 'b', 'c', 'd', 'e'], 2], [['a', 'b'], ['c', 'd'], ['e']]],
    ['chunklist', [['a'], 0], [['a']]],
    ['coalesce', [null, '', 'b', 'c'], 'b'],
    ['coalescelist', [[], ['c', 'd']], ['c', 'd']],
    ['compact', [['a', '', null, 'b']], ['a', 'b']],
    ['concat', [['a'], ['b', 'c']], ['a', 'b', 'c']],
    ['contains', [[{ a: 1 }, 'x'], { a: 1 }], true],
    ['contains', [['a'], 'b'], false],
    ['distinct', [['a', 'b', 'a', 'c', 'b']], ['a', 'b', 'c']],
    ['element', [['a', 'b', 'c'], 4], 'b'],
    ['flatten', [[['a', 'b'], [], ['c', ['d']]]], ['a', 'b', 'c', 'd']],
    ['index', [['a', 'b', 'c'], 'b'], 1],
    ['keys', [{ b: 1, a: 2, c: 3 }], ['a', 'b', 'c']],
    ['values', [{ b: 1, a: 2, c: 3 }], [2, 1, 3]],
    ['length', [['a', 'b']], 2],
    ['length', [{ a: 1 }], 1],
    ['length', ['👍🏽x'], 2],
    ['lookup', [{ a: 'ay', b: 'bee' }, 'a', 'what?'], 'ay'],
    ['lookup', [{ a: 'ay' }, 'c', 'what?'], 'what?'],
    ['merge', [{ a: 'b', c: 'd' }, null, { e: 'f', c: 'z' }], { a: 'b', c: 'z', e: 'f' }],
    ['range', [3], [0, 1, 2]],
    ['range', [1, 4], [1, 2, 3]],
    ['range', [4, 1], [4, 3, 2]],
    ['range', [0, 1, 0.25], [0, 0.25, 0.5, 0.75]],
    [
      'setintersection',
      [
        ['a', 'b'],
        ['b', 'c'],
        ['b', 'd'],
      ],
      ['b'],
    ],
    [
      'setunion',
      [
        ['b', 'a'],
        ['c', 'a'],
      ],
      ['a', 'b', 'c'],
    ],
    [
      'setproduct',
      [
        ['a', 'b'],
        [1, 2],
      ],
      [
        ['a', 1],
        ['a', 2],
        ['b', 1],
        ['b', 2],
      ],
    ],
    ['slice', [['a', 'b', 'c', 'd'], 1, 3], ['b', 'c']],
    ['sort', [['e', 'd', 'a', 'x']], ['a', 'd', 'e', 'x']],
    ['sort', [[10, 9]], ['10', '9']],
    [
      'zipmap',
      [
        ['a', 'b'],
        [1, 2],
      ],
      { a: 1, b: 2 },
    ],
  ])('%s(%j) = %j', (name, args, out) => expect(call(name, ...args)).toEqual(out));

  it('reports mistakes as FunctionError', () => {
    fails('lookup', [{ a: 1 }, 'b'], /lookup failed to find key "b"/);
    fails('element', [[], 0], /empty list/);
    fails('element', [['a'], -1], /negative index/);
    fails('index', [['a'], 'z'], /item not found/);
    fails('coalesce', [null, ''], /no non-null, non-empty-string arguments/);
    fails('slice', [['a'], 0, 2], /greater than the length/);
    fails('zipmap', [['a'], []], /does not match/);
    fails('range', [0, 5, 0], /step must not be zero/);
    fails('range', [0, 2000], /more than 1024 values/);
    fails('merge', [{ a: 1 }, 'x'], /map or object required/);
  });
});

describe('encoding', () => {
  it.each<[string, HclValue[], HclValue]>([
    ['base64encode', ['Hello World'], 'SGVsbG8gV29ybGQ='],
    ['base64decode', ['SGVsbG8gV29ybGQ='], 'Hello World'],
    ['urlencode', ['Hello World!/?&'], 'Hello+World%21%2F%3F%26'],
    ['jsonencode', [{ hello: 'world', n: [1, true, null] }], '{"hello":"world","n":[1,true,null]}'],
    ['jsondecode', ['{"hello": "world", "n": [1.5]}'], { hello: 'world', n: [1.5] }],
    ['yamldecode', ['hello: world\nlist:\n  - 1\n  - true\n'], { hello: 'world', list: [1, true] }],
    ['yamlencode', [{ foo: [1, 2, 3], bar: 'baz' }], '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n'],
    ['yamlencode', [{ a: { b: [{ c: true, d: null }] } }], '"a":\n  "b":\n  - "c": true\n    "d": null\n'],
    [
      'csvdecode',
      ['a,b\n1,"x,""y"""\n3,4\n'],
      [
        { a: '1', b: 'x,"y"' },
        { a: '3', b: '4' },
      ],
    ],
  ])('%s(%j) = %j', (name, args, out) => expect(call(name, ...args)).toEqual(out));

  it('reports malformed input', () => {
    fails('base64decode', ['abc'], /failed to decode base64/);
    fails('jsondecode', ['{'], /invalid JSON/);
    fails('csvdecode', ['a,b\n1\n'], /wrong number of fields/);
  });
});

describe('crypto and uuid', () => {
  it('hashes with exact digests', () => {
    expect(call('sha256', 'hello world')).toBe(
      'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
    );
    expect(call('sha512', 'hello world')).toBe(
      '309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f',
    );
  });

  it('uuidv5 matches the RFC 4122 test vectors Terraform documents', () => {
    expect(call('uuidv5', 'dns', 'www.terraform.io')).toBe('a5008fae-b28c-5ba5-96cd-82b4c53552d6');
    expect(call('uuidv5', 'dns', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(call('uuidv5', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
    fails('uuidv5', ['nope', 'x'], /doesn't support namespace nope/);
  });

  it('uuidv4 sets version and variant bits on the injected random bytes', () => {
    expect(call('uuidv4')).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f');
  });

  it('bcrypt produces a $2a$ hash that verifies', async () => {
    const { default: bcrypt } = await import('bcryptjs');
    const h = call('bcrypt', 'hello world', 4) as string;
    expect(h).toMatch(/^\$2a\$04\$.{53}$/);
    expect(bcrypt.compareSync('hello world', h)).toBe(true);
    expect(call('bcrypt', 'hello world', 4)).toBe(h);
    fails('bcrypt', ['x', 3], /cost 3 is outside allowed range/);
  });
});

describe('cidr', () => {
  it.each<[string, HclValue[], HclValue]>([
    ['cidrhost', ['10.12.112.0/20', 16], '10.12.112.16'],
    ['cidrhost', ['10.12.112.0/20', 268], '10.12.113.12'],
    ['cidrhost', ['10.12.112.0/20', -1], '10.12.127.255'],
    ['cidrhost', ['fd00:fd12:3456:7890:00a2::/72', 34], 'fd00:fd12:3456:7890::22'],
    ['cidrnetmask', ['172.16.0.0/12'], '255.240.0.0'],
    ['cidrsubnet', ['172.16.0.0/12', 4, 2], '172.18.0.0/16'],
    ['cidrsubnet', ['10.1.2.0/24', 4, 15], '10.1.2.240/28'],
    ['cidrsubnet', ['fd00:fd12:3456:7890::/56', 16, 162], 'fd00:fd12:3456:7800:a200::/72'],
    [
      'cidrsubnets',
      ['10.1.0.0/16', 4, 4, 8, 4],
      ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20'],
    ],
  ])('%s(%j) = %j', (name, args, out) => expect(call(name, ...args)).toEqual(out));

  it('reports impossible requests', () => {
    fails('cidrhost', ['10.0.0.0/30', 4], /does not accommodate a host numbered 4/);
    fails('cidrsubnet', ['10.0.0.0/30', 4, 0], /insufficient address space/);
    fails('cidrnetmask', ['fd00::/8'], /only IPv4/);
    fails('cidrhost', ['10.0.0/8', 1], /invalid CIDR/);
  });
});

describe('time', () => {
  it.each<[string, HclValue[], HclValue]>([
    ['formatdate', ['DD MMM YYYY hh:mm ZZZ', '2018-01-02T23:12:01Z'], '02 Jan 2018 23:12 UTC'],
    ['formatdate', ['EEEE, MMMM D, YY', '2018-01-02T23:12:01-08:00'], 'Tuesday, January 2, 18'],
    ['formatdate', ["h:mm aa 'o''clock' HH AA", '2017-03-04T13:04:05+05:30'], "13:04 pm o'clock 01 PM"],
    [
      'formatdate',
      ["YYYY-MM-DD'T'hh:mm:ssZ ZZZZ ZZZZZ", '2017-03-04T13:04:05+05:30'],
      '2017-03-04T13:04:05+05:30 +0530 +05:30',
    ],
    ['timeadd', ['2017-11-22T00:00:00Z', '10m'], '2017-11-22T00:10:00Z'],
    ['timeadd', ['2017-11-22T00:00:00Z', '-1h30m'], '2017-11-21T22:30:00Z'],
    ['timeadd', ['2017-11-22T23:30:00+02:00', '1h'], '2017-11-23T00:30:00+02:00'],
  ])('%s(%j) = %j', (name, args, out) => expect(call(name, ...args)).toEqual(out));

  it('refuses malformed input', () => {
    fails('formatdate', ['YYYY', '2017-11-22'], /not a valid RFC3339 timestamp/);
    fails('formatdate', ['QQ', '2017-11-22T00:00:00Z'], /invalid date format verb "QQ"/);
    fails('timeadd', ['2017-11-22T00:00:00Z', '10x'], /invalid duration/);
  });
});

describe('file-system functions', () => {
  const files: Record<string, string> = { '/jobs/conf/app.conf': 'port=8080\n', '/jobs/conf/b.txt': 'b' };
  const fsCtx: FunctionContext = {
    ...ctx,
    fs: {
      baseDir: '/jobs',
      readFile: (p) => {
        const f = files[p];
        if (f === undefined) throw new Error('ENOENT');
        return new TextEncoder().encode(f);
      },
      exists: (p) => p in files,
      glob: (dir, pattern) =>
        pattern === '*' ? Object.keys(files).filter((f) => f.startsWith(dir + '/')) : [],
    },
  };
  const fsCall = (name: string, ...args: HclValue[]): HclValue => jobspecFunctions()[name]!.call(args, fsCtx);

  it('read relative to the jobspec directory through the injected reader', () => {
    expect(fsCall('file', 'conf/app.conf')).toBe('port=8080\n');
    expect(fsCall('filebase64', 'conf/b.txt')).toBe('Yg==');
    expect(fsCall('fileexists', 'conf/app.conf')).toBe(true);
    expect(fsCall('fileexists', 'conf/none')).toBe(false);
    expect(fsCall('fileset', 'conf', '*')).toEqual(['app.conf', 'b.txt']);
    expect(fsCall('basename', '/a/b/c.txt')).toBe('c.txt');
    expect(fsCall('dirname', '/a/b/c.txt')).toBe('/a/b');
    expect(() => fsCall('file', 'missing.txt')).toThrow(/no file exists at missing.txt/);
  });

  it('refuse when the caller did not allow file access', () => {
    for (const name of [
      'file',
      'filebase64',
      'fileexists',
      'fileset',
      'abspath',
      'basename',
      'dirname',
      'pathexpand',
    ]) {
      const f = jobspecFunctions()[name]!;
      expect(() => f.call(['x', 'y'].slice(0, f.params), ctx), name).toThrow(/filesystem functions disabled/);
    }
  });
});

describe('JavaScript limits become FunctionErrors', () => {
  it('huge precision, width or indent', () => {
    fails('format', ['%.150f', 1], /argument out of range/);
    // Past tsnomad's string limit the evaluator's budget refuses it first (LimitExceeded).
    expect(() => call('indent', 2 ** 31, 'a\nb')).toThrow(/the limit is 8388608/);
  });
});
