import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// The root and the subpath entries of package.json `exports` (src/exports/*).
export default defineConfig(
  packageBuild([
    'src/index.ts',
    'src/exports/scheduler.ts',
    'src/exports/server.ts',
    'src/exports/state.ts',
    'src/exports/structs.ts',
    'src/exports/testing.ts',
  ]),
);
