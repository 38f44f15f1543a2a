import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// The library (ESM + CJS) and the `tsnomad` command (package.json "bin"; ESM only, as it
// uses top-level await).
export default defineConfig([
  packageBuild(),
  { ...packageBuild(['src/cli/main.ts']), outDir: 'dist/cli', format: ['esm'], dts: false, clean: false },
]);
