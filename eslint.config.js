// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Names core must never touch: core is pure and deterministic (see ARCHITECTURE.md). */
const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'console',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'inspector',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'querystring',
  'readline',
  'repl',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/**
 * Layers inside core, each importing only those below it (docs/architecture.md):
 * structs (with util) <- jobspec <- api <- state <- scheduler <- server, client, raft <- simulate.
 * structs may name jobspec types (a Job rides on allocations and plans) but not call into it.
 */
const layers = [
  {
    dir: 'structs',
    above: ['api', 'state', 'scheduler', 'server', 'client', 'raft', 'simulate'],
    typesFrom: ['jobspec'],
  },
  {
    dir: 'util',
    above: ['structs', 'jobspec', 'api', 'state', 'scheduler', 'server', 'client', 'raft', 'simulate'],
  },
  { dir: 'jobspec', above: ['api', 'state', 'scheduler', 'server', 'client', 'raft', 'simulate'] },
  { dir: 'api', above: ['state', 'scheduler', 'server', 'client', 'raft', 'simulate'] },
  { dir: 'state', above: ['scheduler', 'server', 'client', 'raft', 'simulate'] },
  { dir: 'scheduler', above: ['server', 'client', 'raft', 'simulate'] },
  { dir: 'server', above: ['simulate'] },
  { dir: 'client', above: ['server', 'simulate'] },
  { dir: 'raft', above: ['server', 'client', 'scheduler', 'simulate'] },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.tsbuild/**',
      'coverage/**',
      'benchmarks/results/**',
      'benchmarks/.*.bundle.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Core purity: no Node built-ins, no wall clock, no Math.random, no console, no timers.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'packages/core is pure: no Node built-ins.' })),
          patterns: [{ group: ['node:*'], message: 'packages/core is pure: no Node built-ins.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'process',
          'console',
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'performance',
          'Buffer',
          'require',
          '__dirname',
          '__filename',
          'fetch',
        ].map((name) => ({
          name,
          message: 'packages/core is pure: inject a Clock, RNG, storage or transport instead.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded RNG passed in options.' },
        { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use the injected Clock.',
        },
      ],
    },
  },
  ...layers.map(({ dir, above, typesFrom = [] }) => ({
    // Layer zones: a file may not import from a layer above its own.
    files: [`packages/core/src/${dir}/**/*.ts`],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...above.map((layer) => ({
              group: [`../${layer}/*`, `../../${layer}/*`, `../../../${layer}/*`],
              message: `packages/core/src/${dir} is below ${layer}: move the shared fact down (structs) instead.`,
            })),
            ...typesFrom.map((layer) => ({
              group: [`../${layer}/*`, `../../${layer}/*`],
              allowTypeImports: true,
              message: `packages/core/src/${dir} may only name ${layer} types.`,
            })),
          ],
        },
      ],
    },
  })),
);
