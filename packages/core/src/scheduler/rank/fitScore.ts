/** The bin-pack and spread fit formulas (Nomad's BestFit v3 / worst fit). */

/** Fit algorithms of the scheduler configuration. */
export type SchedulerAlgorithm = 'binpack' | 'spread';

/** The most a raw fit score can be; the bin-pack stage divides by it. */
export const BIN_PACKING_MAX_FIT_SCORE = 18;

/**
 * Raw fit score in [0, 18] from a node's available cpu/memory (capacity minus reserved) and
 * what would be used after the placement. Bin-pack: 20 − (10^freeCpu + 10^freeMem); spread:
 * (10^freeCpu + 10^freeMem) − 2. Pure.
 */
export function fitScore(
  availCpu: number,
  availMemory: number,
  usedCpu: number,
  usedMemory: number,
  algorithm: SchedulerAlgorithm,
): number {
  const freeCpu = 1 - usedCpu / availCpu;
  const freeMem = 1 - usedMemory / availMemory;
  const total = Math.pow(10, freeCpu) + Math.pow(10, freeMem);
  const score = algorithm === 'spread' ? total - 2 : 20 - total;
  if (score > 18) return 18;
  if (score < 0) return 0;
  return score;
}

/** Resources in use on a node, for `scoreFit`. */
export interface UsedResources {
  cpu: number;
  memoryMB: number;
}

/**
 * Nomad's fit score of a node (ScoreFitBinPack / ScoreFitSpread) in [0, 18], given what would be
 * in use on it; capacity is the node's resources minus its reserved resources. Pure.
 * @example scoreFit(node, { cpu: 1024, memoryMB: 2048 }, 'binpack') // 13.675 on a 4096 MHz / 8192 MB node with half reserved
 */
export function scoreFit(
  node: {
    nodeResources: { cpu: { cpuShares: number }; memory: { memoryMB: number } };
    reservedResources?: { cpu: { cpuShares: number }; memory: { memoryMB: number } } | undefined;
  },
  used: UsedResources,
  algorithm: SchedulerAlgorithm,
): number {
  const cpu = node.nodeResources.cpu.cpuShares - (node.reservedResources?.cpu.cpuShares ?? 0);
  const mem = node.nodeResources.memory.memoryMB - (node.reservedResources?.memory.memoryMB ?? 0);
  return fitScore(cpu, mem, used.cpu, used.memoryMB, algorithm);
}
