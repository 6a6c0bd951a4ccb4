/**
 * `@name` mentions: which readers a comment names, found the same way by the renderer (which
 * links them) and the notifications (which tell them). Pure; the names it knows come from the
 * thread's participants, so `@` followed by anything else stays plain text.
 */

/** A reader who took part in the discussion, and the comment of theirs a mention links to. */
export interface Participant {
  userId: number;
  name: string;
  commentId: number;
}

/** One mention in a piece of text: where it starts and ends (the `@` included) and whom it names. */
export interface MentionSpan {
  start: number;
  end: number;
  who: Participant;
}

/** Mentions linked in one comment; more stay text (and tell nobody), as a list of names would. */
export const MAX_MENTIONS = 10;
/** Display names are at most 60 characters (accounts.ts). */
const MAX_NAME = 60;

const wordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/** Positions of `@` that can start a mention: not inside a word (so `ada@example.com` is no mention). */
function atSigns(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('@'); i >= 0 && out.length < 50; i = text.indexOf('@', i + 1)) if (!wordChar(text[i - 1])) out.push(i);
  return out;
}

/**
 * What each `@` could name: the text after it cut at every word end, up to a name's length.
 * The store looks these up among the thread's participants (exact names), so it is asked about a
 * few dozen strings however long the comment.
 */
export function mentionCandidates(text: string): string[] {
  const out = new Set<string>();
  for (const at of atSigns(text)) {
    const rest = text.slice(at + 1, at + 1 + MAX_NAME + 1).split('\n')[0]!;
    // Every place a name could end: not inside a word, not on a space (names may end in punctuation).
    for (let i = 1; i <= Math.min(rest.length, MAX_NAME); i++)
      if (!/\s/.test(rest[i - 1]!) && !(wordChar(rest[i - 1]) && wordChar(rest[i]))) out.add(rest.slice(0, i));
  }
  return [...out].slice(0, 400);
}

/**
 * The mentions in `text`: at each `@`, the longest participant name that follows it and ends at
 * a word's end. Two participants with one name: the first in `participants` (the caller orders
 * them, this thread's first).
 */
export function findMentions(text: string, participants: readonly Participant[]): MentionSpan[] {
  if (participants.length === 0) return [];
  const byName = new Map<string, Participant>();
  for (const p of participants) if (!byName.has(p.name)) byName.set(p.name, p);
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const out: MentionSpan[] = [];
  for (const at of atSigns(text)) {
    if (out.length > 0 && at < out.at(-1)!.end) continue;
    const name = names.find((n) => text.startsWith(n, at + 1) && !wordChar(text[at + 1 + n.length]));
    if (name !== undefined) out.push({ start: at, end: at + 1 + name.length, who: byName.get(name)! });
  }
  return out;
}
