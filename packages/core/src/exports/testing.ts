/**
 * `@tsnomad/core/testing`: fixtures for tests and demos — mock jobs, nodes, allocations and
 * evaluations, and an in-memory cluster simulation.
 */
export { mockAlloc, mockEval, mockJob, mockNode, mockTask, mockTaskGroup } from '../simulate/mock.js';
export type { MockNodeOptions } from '../simulate/mock.js';
export { createSimulation } from '../simulate/simulate.js';
export type { ClientBehavior, Simulation, SimulationOptions } from '../simulate/simulate.js';
