/** Majority arithmetic over a set of voters. Pure. */

/** The highest index a majority of `voters` has matched. */
export function committedIndex(voters: readonly string[], matchOf: (id: string) => number): number {
  if (voters.length === 0) return 0;
  const m = voters.map(matchOf).sort((a, b) => b - a);
  return m[(voters.length >> 1) as number]!;
}

/** The outcome of an election so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/** Tallies the granted / rejected votes from `votes` among `voters`. */
export function voteResult(voters: readonly string[], votes: ReadonlyMap<string, boolean>): VoteResult {
  const q = (voters.length >> 1) + 1;
  let granted = 0;
  let rejected = 0;
  for (const v of voters) {
    const g = votes.get(v);
    if (g === true) granted++;
    else if (g === false) rejected++;
  }
  if (granted >= q) return 'won';
  if (voters.length - rejected < q) return 'lost';
  return 'pending';
}

/** Whether `ids` (a set of voters who answered) is a majority of `voters`. */
export function isQuorum(voters: readonly string[], has: (id: string) => boolean): boolean {
  let n = 0;
  for (const v of voters) if (has(v)) n++;
  return n >= (voters.length >> 1) + 1;
}
