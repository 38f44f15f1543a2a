// Chooses one fast-check seed for the whole run and prints it once, so that any property
// failure can be replayed exactly with FC_SEED=<seed> npm test.
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
  }
}

export default function setup(project: TestProject): void {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
  console.log(`fast-check seed ${seed} (replay: FC_SEED=${seed} npm test)`);
  project.provide('fcSeed', seed);
}
