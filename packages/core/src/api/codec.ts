/**
 * Nomad API JSON (PascalCase) <-> core types. Decoders return every problem with its JSON
 * path; unknown keys are reported. Encoders produce the PascalCase JSON Nomad's HTTP API takes.
 */
import { match } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { Job, JobInput } from '../jobspec/types.js';
import type { Allocation } from '../structs/allocation.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { Node } from '../structs/node.js';
import { JobDef } from './jobSchema.js';
import { AllocationDef, DeploymentDef, EvaluationDef, NodeDef } from './structsSchema.js';
import { compile, reportErrors, type DecodeError, type StructDef } from './wire.js';

/** The outcome of a decode: the value, or every error found. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; errors: DecodeError[] };

/** Keys of Nomad's job register request that may sit beside `Job` in a wrapped document. */
const REGISTER_KEYS = new Set([
  'Job',
  'EnforceIndex',
  'JobModifyIndex',
  'PolicyOverride',
  'PreserveCounts',
  'EvalPriority',
  'Submission',
  'Region',
  'Namespace',
  'SecretID',
]);

function run<T>(
  root: string,
  codec: t.Type<Record<string, unknown>, Record<string, unknown>>,
  json: unknown,
): DecodeResult<T> {
  // io-ts answers with fp-ts's Either: errors with their paths on the left, the value on the right.
  return pipe(
    codec.validate(json, [{ key: '', type: codec, actual: json }]),
    match(
      (errors): DecodeResult<T> => ({ ok: false, errors: reportErrors(root, errors) }),
      (value): DecodeResult<T> => ({ ok: true, value: value as T }),
    ),
  );
}

function unwrapJob(json: unknown): unknown {
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'Job' in json) {
    const o = json as Record<string, unknown>;
    if (typeof o.Job === 'object' && o.Job !== null && Object.keys(o).every((k) => REGISTER_KEYS.has(k)))
      return o.Job;
  }
  return json;
}

/**
 * Decodes a job from Nomad's API JSON, bare or wrapped as `{"Job": …}`. Absent fields stay
 * absent (they mean "default"): pass the result to `canonicalizeJob`. Pure.
 * @example
 *   const r = decodeJob(JSON.parse(text));
 *   if (r.ok) { const job = canonicalizeJob(r.value); } else r.errors.forEach((e) => print(e.message));
 */
export function decodeJob(json: unknown): DecodeResult<JobInput> {
  return run<JobInput>('Job', compile(JobDef, false), unwrapJob(json));
}

/**
 * Decodes a complete job as Nomad's server stores it: absent fields take Go's zero values
 * (no defaults applied). Pure.
 */
export function decodeStoredJob(json: unknown): DecodeResult<Job> {
  return run<Job>('Job', compile(JobDef, true), unwrapJob(json));
}

/** Encodes a job (complete or partial) as Nomad's API JSON (bare, not wrapped). Pure. */
export function encodeJob(job: Job | JobInput): Record<string, unknown> {
  return compile(JobDef, false).encode(job as Record<string, unknown>);
}

const structDecoder =
  <T>(def: StructDef) =>
  (json: unknown): DecodeResult<T> =>
    run<T>(def.name, compile(def, true), json);
const structEncoder =
  <T>(def: StructDef) =>
  (value: T): Record<string, unknown> =>
    compile(def, true).encode(value as Record<string, unknown>);

/** Decodes a node from Nomad's API JSON; absent fields take zero values. Pure. */
export const decodeNode: (json: unknown) => DecodeResult<Node> = structDecoder<Node>(NodeDef);
/** Encodes a node as Nomad's API JSON. Pure. */
export const encodeNode: (node: Node) => Record<string, unknown> = structEncoder<Node>(NodeDef);
/** Decodes an allocation from Nomad's API JSON; absent fields take zero values. Pure. */
export const decodeAllocation: (json: unknown) => DecodeResult<Allocation> =
  structDecoder<Allocation>(AllocationDef);
/** Encodes an allocation as Nomad's API JSON. Pure. */
export const encodeAllocation: (alloc: Allocation) => Record<string, unknown> =
  structEncoder<Allocation>(AllocationDef);
/** Decodes an evaluation from Nomad's API JSON; absent fields take zero values. Pure. */
export const decodeEvaluation: (json: unknown) => DecodeResult<Evaluation> =
  structDecoder<Evaluation>(EvaluationDef);
/** Encodes an evaluation as Nomad's API JSON. Pure. */
export const encodeEvaluation: (ev: Evaluation) => Record<string, unknown> =
  structEncoder<Evaluation>(EvaluationDef);
/** Decodes a deployment from Nomad's API JSON; absent fields take zero values. Pure. */
export const decodeDeployment: (json: unknown) => DecodeResult<Deployment> =
  structDecoder<Deployment>(DeploymentDef);
/** Encodes a deployment as Nomad's API JSON. Pure. */
export const encodeDeployment: (d: Deployment) => Record<string, unknown> =
  structEncoder<Deployment>(DeploymentDef);
