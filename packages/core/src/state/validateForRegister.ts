import type { Job } from '../jobspec/types.js';
import { validateJob } from '../jobspec/validate.js';

/**
 * The reducer's registration check: the jobspec validator's problems joined as
 * `path: message`, or undefined when the job is valid. Pure.
 */
export function jobValidationError(job: Job): string | undefined {
  const problems = validateJob(job);
  if (problems.length === 0) return undefined;
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}
