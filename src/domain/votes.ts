export type VoteValue = -1 | 0 | 1;

export interface VoteDelta {
  up: number;
  down: number;
  score: number;
}

/** How a comment's counters move when one reader's vote goes from `prev` to `next` (0 = none). */
export function voteDelta(prev: VoteValue, next: VoteValue): VoteDelta {
  const up = (next === 1 ? 1 : 0) - (prev === 1 ? 1 : 0);
  const down = (next === -1 ? 1 : 0) - (prev === -1 ? 1 : 0);
  return { up, down, score: up - down };
}
