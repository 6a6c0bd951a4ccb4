/**
 * Who hears of a new comment, and when mail is retried. Pure rules; the notifications service
 * gathers the candidates and the outbox worker applies the timing.
 */
import type { FollowState } from './views.js';

/** Whether a signed-in reader follows one article (for editors' picks too), and their mail preferences. */
export interface ReaderFollow {
  following: boolean;
  featured: boolean;
  replies: boolean;
  digest: 'instant' | 'daily';
}

/** What a reader's page and the follow endpoint show of it. */
export function followState(f: ReaderFollow): FollowState {
  return { article: f.following, replies: f.replies, digest: f.digest, featured: f.featured };
}

/** `mention`: the comment names them with `@`; `featured`: an editors' pick on an article they follow. */
export type NotifyKind = 'reply' | 'mention' | 'comment' | 'featured';

/** Which reason wins when one reader has several for one comment: the most personal. */
const RANK: Record<NotifyKind, number> = { reply: 3, mention: 2, comment: 1, featured: 0 };

export interface Candidate {
  email: string;
  userId: number | null;
  kind: NotifyKind;
  /** For article follows: the follow row, whose token unsubscribes from that article. */
  followId: number | null;
  suspended: boolean;
  digest: 'instant' | 'daily';
}

export interface Recipient extends Omit<Candidate, 'suspended'> {}

/**
 * One mail per reader per comment: the comment's author hears nothing, suspended readers hear
 * nothing, and someone with several reasons (following the article, answered, mentioned) gets
 * the mail of the most personal one.
 */
export function recipients(authorId: number, authorEmail: string, candidates: readonly Candidate[]): Recipient[] {
  const byEmail = new Map<string, Recipient>();
  for (const c of candidates) {
    const email = c.email.toLowerCase();
    if (c.suspended || c.userId === authorId || email === authorEmail.toLowerCase()) continue;
    const seen = byEmail.get(email);
    if (!seen || RANK[c.kind] > RANK[seen.kind]) {
      const { suspended: _s, ...rest } = c;
      byEmail.set(email, { ...rest, email });
    }
  }
  return [...byEmail.values()];
}

/** Exponential backoff with a ceiling: 30 s, 1 min, 2 min, ... up to 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export const MAX_ATTEMPTS = 8;

/** The next daily digest time at `hourUtc` strictly after `now`. */
export function nextDigestAt(now: Date, hourUtc: number): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (d <= now) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}
