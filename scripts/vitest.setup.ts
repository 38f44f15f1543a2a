// Every test file runs its properties from the run's one seed (see vitest.global.ts).
import fc from 'fast-check';
import { inject } from 'vitest';

fc.configureGlobal({ seed: inject('fcSeed'), numRuns: Number(process.env.FC_NUM_RUNS ?? 100) });
