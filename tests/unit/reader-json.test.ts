import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CommentView, ThreadPage, ThreadView } from '../../src/domain/types.js';
import { Deflated, gzipPieces, joinPieces } from '../../src/http/composed-gzip.js';
import { ReaderJson } from '../../src/http/reader-json.js';

const view = (id: number, extra: Partial<CommentView> = {}) =>
  ({
    id,
    bodyHtml: `<p>Comment ${id}: ${'words enough to fill a run of its own. '.repeat(220)}</p>`,
    myVote: 0,
    canEdit: false,
    ...extra,
  }) as unknown as CommentView;
const thread = (id: number, replies: number[]): ThreadView => ({
  comment: view(id),
  replies: replies.map((r) => view(r)),
  repliesCursor: null,
  moreReplies: 0,
});

function counting() {
  const calls = { page: 0, thread: 0 };
  return {
    calls,
    write: {
      page: (p: ThreadPage) => (calls.page++, JSON.stringify(p)),
      thread: (t: ThreadView) => (calls.thread++, JSON.stringify(t)),
    },
  };
}

describe("a signed-in reader's JSON page from shared pieces", () => {
  const shared: ThreadPage = { sort: 'top', threads: [thread(1, [2, 3]), thread(4, []), thread(5, [6])], nextCursor: 'next', since: 9 };
  // As the discussion personalises a page: new thread objects, the comment views themselves where nothing changed.
  const readerOf = (changes: Record<number, Partial<CommentView>>): ThreadPage => {
    const mine = (c: CommentView) => (changes[c.id] ? { ...c, ...changes[c.id] } : c);
    return { ...shared, threads: shared.threads.map((t) => ({ ...t, comment: mine(t.comment), replies: t.replies.map(mine) })) };
  };

  it('writes what the page would be written whole, its own threads anew and the rest as shared', () => {
    const json = new ReaderJson();
    const { calls, write } = counting();
    const page = readerOf({ 3: { myVote: 1 } });
    const pieces = json.pieces(page, shared, write)!;
    expect(joinPieces(pieces).raw.toString()).toBe(JSON.stringify(page));
    expect(JSON.parse(gunzipSync(gzipPieces(pieces).body).toString())).toEqual(page);
    // The shared page written once (three threads), the reader's one thread again.
    expect(calls).toEqual({ page: 1, thread: 4 });
    // Each thread here is a run of its own (bodies of some 8.6 KB): only the reader's is written anew.
    expect(pieces.map((p) => p instanceof Deflated)).toEqual([true, false, true, true, true]);

    const other = readerOf({ 6: { canEdit: true } });
    const again = json.pieces(other, shared, write)!;
    expect(joinPieces(again).raw.toString()).toBe(JSON.stringify(other));
    expect(calls).toEqual({ page: 1, thread: 5 });
    expect(again.map((p) => p instanceof Deflated)).toEqual([true, true, true, false, true]);
    // The thread neither touched is the very same kept piece.
    expect(again[2]).toBe(pieces[2]);
    expect(JSON.parse(gunzipSync(gzipPieces(again).body).toString())).toEqual(other);
  });

  it('leaves a page of another shape to be written whole', () => {
    const json = new ReaderJson();
    const { write } = counting();
    const withOwn = { ...shared, threads: [thread(99, []), ...shared.threads] };
    expect(json.pieces(withOwn, shared, write)).toBeNull();
    expect(json.pieces({ ...shared, nextCursor: null }, shared, write)).toBeNull();
    expect(json.pieces(shared, undefined, write)).toBeNull();
  });
});
