import type { Options } from 'tsup';

/**
 * The build every package shares: ESM + CJS + .d.ts for Node 20. Declarations are built per
 * package against the *built* declarations of its workspace dependencies (no `source`
 * condition, not composite), which is why `npm run build` builds packages in dependency order.
 */
export function packageBuild(entry: string[] = ['src/index.ts']): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { composite: false, customConditions: [], incremental: false } },
    clean: true,
    sourcemap: true,
    target: 'node20',
  };
}
