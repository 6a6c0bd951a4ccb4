import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { CommentView, DiscussionState, ThreadView, ViewerInfo } from '../../src/domain/types.js';
import { messages } from '../../src/messages.js';
import { Discussion } from '../../web/widget/Discussion.js';
import { createApi } from '../../web/widget/api.js';
import { Actions } from '../../web/widget/CommentActions.js';
import type { Widget } from '../../web/widget/context.js';

/** The server-rendered discussion, as a reader without JavaScript (or before hydration) gets it. */

const NOW = '2024-11-12T17:00:00.000Z';
const TWO_DAYS_AGO = '2024-11-10T17:00:00.000Z';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

let nextId = 1;
function comment(over: Partial<CommentView> & { name?: string | null } = {}): CommentView {
  const id = over.id ?? nextId++;
  const { name = 'Lancashire Lad', ...rest } = over;
  return {
    id,
    parentId: null,
    rootId: null,
    depth: 0,
    author: name === null ? null : { id: 100 + id, name },
    replyTo: null,
    bodyHtml: '<p>An incisive article.</p>',
    bodySrc: 'An incisive article.',
    status: 'visible',
    createdAt: TWO_DAYS_AGO,
    editedAt: null,
    editedBy: null,
    score: 3,
    up: 4,
    down: 1,
    myVote: 0,
    replyCount: 0,
    canEdit: false,
    canDelete: false,
    anchor: null,
    ...rest,
  };
}

const reader: ViewerInfo = { id: 7, name: 'Martin M', email: 'martin@example.com', role: 'reader', subscriber: false, subscriberUntil: null };
const subscriber: ViewerInfo = { ...reader, id: 8, name: 'Jon Hawksley', subscriber: true, subscriberUntil: '2025-11-01T00:00:00.000Z' };

function threads(): ThreadView[] {
  const root = comment({ id: 1, name: 'Carlos Danger', bodyHtml: '<p>It will be very interesting.</p>', replyCount: 4 });
  const reply = comment({
    id: 2,
    parentId: 1,
    rootId: 1,
    depth: 1,
    name: 'Jim Veenbaas',
    replyTo: 'Carlos Danger',
    bodyHtml: '<p>Very insightful comment.</p>',
  });
  const edited = comment({ id: 3, parentId: 1, rootId: 1, depth: 1, name: 'El Uro', replyTo: 'Carlos Danger', editedAt: TWO_DAYS_AGO, editedBy: 'El Uro' });
  const gone = comment({ id: 4, name: null, status: 'deleted', bodyHtml: '', bodySrc: null, replyCount: 1 });
  const underGone = comment({ id: 5, parentId: 4, rootId: 4, depth: 1, name: 'Rasmus Fogh', replyTo: null, bodyHtml: '<p>Still here.</p>' });
  const hostile = comment({
    id: 6,
    name: HOSTILE_NAME,
    // What the server stores for a reader who typed a script tag: escaped once, as text.
    bodySrc: '<script>alert(1)</script>',
    bodyHtml: '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
  });
  return [
    { comment: root, replies: [reply, edited], repliesCursor: 'c1', moreReplies: 2 },
    { comment: gone, replies: [underGone], repliesCursor: null, moreReplies: 0 },
    { comment: hostile, replies: [], repliesCursor: null, moreReplies: 0 },
  ];
}

function state(over: Partial<DiscussionState> = {}): DiscussionState {
  return {
    article: { id: 9, slug: 'what-trump-will-do', title: 'What Trump will do', policy: 'subscribers', commentCount: 69 },
    viewer: null,
    follow: null,
    canParticipate: false,
    blockedReason: 'signin',
    blockedMessage: messages.errors.signin,
    csrfToken: null,
    page: { sort: 'top', threads: threads(), nextCursor: 'next-page' },
    focusCommentId: null,
    limits: { maxLength: 5000, editWindowMinutes: 60, indentDepth: 3 },
    now: NOW,
    timeZone: 'UTC',
    moreHref: '?sort=top&expand=7,',
    ...over,
  };
}

const render = (s: DiscussionState) => renderToString(<Discussion state={s} />);
const m = messages.widget;
const x = messages.widget.actions;

/** A comment's row as the script draws it once it runs (CommentActions.tsx). */
const row = (s: DiscussionState, c: CommentView, mine: boolean) =>
  renderToString(
    <Actions
      c={c}
      // Only what the row reads while rendering (no muted readers on this page).
      w={{ state: s, muted: [] } as unknown as Widget}
      mine={mine}
      body={null}
      mode="view"
      setMode={() => {}}
      quote={() => {}}
      failed={() => {}}
      replyButton={{ current: null }}
      reported={false}
    />,
  );

describe('Discussion (server render)', () => {
  it('is a labelled section headed by the comment count', () => {
    const html = render(state());
    expect(html).toMatch(/^<section id="comments"[^>]*aria-labelledby="parley-count"/);
    expect(html).toMatch(/<h2 id="parley-count">69 Comments<\/h2>/);
    expect(render(state({ article: { ...state().article, commentCount: 1 } }))).toContain('>1 Comment</h2>');
  });

  it('renders the sorts as links that work without JavaScript, the current one marked', () => {
    const html = render(state({ page: { sort: 'newest', threads: threads(), nextCursor: null } }));
    expect(html).toContain('<a href="?sort=top#comments">Most Voted</a>');
    expect(html).toContain('<a href="?sort=newest#comments" aria-current="true">Newest</a>');
    expect(html).toContain('<a href="?sort=oldest#comments">Oldest</a>');
    expect(html.match(/aria-current=/g)).toHaveLength(1);
    // Every comment, each thread whole (issue 15): a page of its own without JavaScript, loaded in place with it.
    expect(html).toMatch(/<a[^>]*href="\?sort=newest&amp;all=1#comments"[^>]*>View all comments<\/a>/);
  });

  it('links Reply to <name> to the comment answered, and names the passage a comment is about (issue 15)', () => {
    const html = render(state());
    expect(html).toContain('<a href="#comment-1">Reply to Carlos Danger</a></header>');
    const about = comment({ id: 9, name: 'Ada', anchor: { exact: 'a hotel that <moves>', start: 10, end: 30, status: 'anchored' } });
    const withPassage = render(
      state({ page: { sort: 'top', threads: [{ comment: about, replies: [], repliesCursor: null, moreReplies: 0 }], nextCursor: null } }),
    );
    expect(withPassage).toContain('<span class="parley-passage-ref">About this passage: <q>a hotel that &lt;moves></q></span>');
    // Still one article per comment, none inside another.
    expect(withPassage.match(/<article/g)).toHaveLength(1);
  });

  it('shows each comment as an article with its author, time and permalink', () => {
    const html = render(state());
    expect(html).toMatch(/<article id="comment-1"[^>]*aria-labelledby="comment-1-author"/);
    // The avatar is drawn by the stylesheet from the initials and the hue: no element, nothing read aloud.
    expect(html).toMatch(/<article id="comment-1" class="hue-\d{1,2}"[^>]*><header data-i="CD"><b id="comment-1-author">Carlos Danger<\/b>/);
    expect(html).not.toContain('aria-hidden');
    // Relative to the server's clock in the state, so hydration sees the same text. The time is
    // the permalink, named by its text.
    expect(html).toMatch(new RegExp(`<a href="\\?comment=1#comment-1"><time datetime="${TWO_DAYS_AGO}" title="[^"]+">2 days ago</time></a>`));
    // The body is the element right after the header (main.tsx reads it back from there).
    expect(html).toContain('</header><div><p>It will be very interesting.</p></div>');
  });

  it('indents replies and names whom they answer', () => {
    const html = render(state());
    expect(html).toMatch(/<article id="comment-2" class="indent-1 hue-\d{1,2}"/);
    expect(html).toMatch(/<article id="comment-1" class="hue-\d{1,2}"/);
    expect(html).toContain('Reply to Carlos Danger');
    // Replies come right after their parent, before the next thread.
    expect(html.indexOf('id="comment-2"')).toBeGreaterThan(html.indexOf('id="comment-1"'));
    expect(html.indexOf('id="comment-2"')).toBeLessThan(html.indexOf('id="comment-4"'));
  });

  it('says when and by whom a comment was last edited', () => {
    const html = render(state());
    expect(html).toMatch(/Last edited <time datetime="2024-11-10T17:00:00.000Z"[^>]*>2 days ago<\/time> by El Uro/);
  });

  it('keeps a placeholder for a deleted comment and still shows its replies', () => {
    const html = render(state());
    expect(html).toContain('<p id="comment-4-gone" class="parley-deleted">This comment was deleted</p>');
    // Said once: the author slot stays empty rather than repeating it.
    expect(html.split('This comment was deleted')).toHaveLength(2);
    expect(html).toContain('id="comment-5"');
    expect(html).toContain('Still here.');
    const deleted = html.slice(html.indexOf('<article id="comment-4"'), html.indexOf('<article id="comment-5"'));
    expect(deleted).not.toContain('<footer');
  });

  it('marks comments awaiting moderation', () => {
    const pending = comment({ id: 50, status: 'pending', name: 'Martin M' });
    const html = render(state({ page: { sort: 'top', threads: [{ comment: pending, replies: [], repliesCursor: null, moreReplies: 0 }], nextCursor: null } }));
    expect(html).toContain(`<span class="parley-badge">${m.pending}</span>`);
  });

  it('offers more replies and the next page as links before the script runs', () => {
    const html = render(state());
    // Without JavaScript a thread opens on this page, keeping the threads opened before (the server's moreHref).
    expect(html).toContain('<a href="?sort=top&amp;expand=7,1#comment-1">Show 2 more replies</a>');
    expect(html).toContain('<a href="?sort=top&amp;cursor=next-page#comments">Load more</a>');
    expect(render(state({ page: { sort: 'top', threads: threads(), nextCursor: null } }))).not.toContain('Load more');
  });

  it('invites a signed-out reader to subscribe or sign in, with no composer', () => {
    const html = render(state());
    expect(html).toContain('<h3 id="parley-join-heading">Join the discussion</h3>');
    expect(html).toContain('To join the discussion in the comments, become a paid subscriber.');
    expect(html).toContain(m.joinBenefits);
    expect(html).toContain(`href="/subscribe?return=${encodeURIComponent('/articles/what-trump-will-do')}"`);
    expect(html).toContain(`href="/signin?return=${encodeURIComponent('/articles/what-trump-will-do#comments')}"`);
    expect(html).not.toContain('<textarea');
    expect(html).not.toContain('Signed in as');
  });

  it('invites a signed-in non-subscriber to subscribe, without a sign-in link', () => {
    const html = render(state({ viewer: reader, blockedReason: 'subscribe', blockedMessage: messages.errors.subscribe, csrfToken: 'tok' }));
    expect(html).toContain('Join the discussion');
    expect(html).toContain('>Subscribe</a>');
    expect(html).not.toContain('>Sign in</a>');
    expect(html).toContain('Signed in as Martin M');
    expect(html).not.toContain('<textarea');
    // The row's controls come with the script (where they open the subscribe prompt): the score stays.
    expect(html).toContain('<footer>3</footer>');
    expect(html).not.toContain('<button type="button" aria-haspopup="dialog">Reply</button>');
  });

  it('says when comments are closed', () => {
    const html = render(state({ article: { ...state().article, policy: 'closed' }, blockedReason: 'closed', blockedMessage: messages.errors.closed }));
    expect(html).toContain(m.closed);
    expect(html).not.toContain('Join the discussion');
    expect(html).not.toContain('<textarea');
  });

  it('gives a subscriber a labelled composer with a counter and a Markdown hint', () => {
    const html = render(state({ viewer: subscriber, canParticipate: true, blockedReason: null, blockedMessage: null, csrfToken: 'tok' }));
    expect(html).not.toContain('Join the discussion');
    expect(html).toMatch(/<label for="parley-new"[^>]*>Write a comment<\/label>/);
    expect(html).toMatch(/<textarea[^>]*id="parley-new"/);
    expect(html).toContain('0 / 5,000');
    expect(html).toContain('Markdown');
    expect(html).toMatch(/<button type="submit"[^>]*>Post<\/button>/);
    expect(html).toContain('Signed in as Jon Hawksley');
  });

  it('shows the score alone before the script runs: no control that needs it, no menu for the one permalink', () => {
    const html = render(state());
    const first = html.slice(html.indexOf('<article id="comment-1"'), html.indexOf('<article id="comment-2"'));
    expect(first).toContain('<footer>3</footer></article>');
    expect(first).not.toContain('<button');
    expect(first).not.toContain('<details');
    expect(first.match(/href="\?comment=1#comment-1"/g)).toHaveLength(1);
  });

  it('offers edit and delete in the menu only on comments the viewer may change', () => {
    const mine = comment({ id: 60, name: 'Jon Hawksley', author: { id: subscriber.id, name: 'Jon Hawksley' }, canEdit: true, canDelete: true });
    const theirs = comment({ id: 61, name: 'Kent Ausburn' });
    const s = state({ viewer: subscriber, canParticipate: true, blockedReason: null, blockedMessage: null, csrfToken: 'tok' });
    const first = row(s, mine, true);
    const second = row(s, theirs, false);
    expect(first).toContain('>Edit<');
    expect(first).toContain('>Delete<');
    expect(first).toContain(`title="${x.ownComment}"`);
    expect(first).not.toContain('>Report<');
    expect(second).not.toContain('>Edit<');
    expect(second).not.toContain('>Delete<');
    expect(second).not.toContain('title=');
    for (const label of ['Reply', 'Quote', 'Report', 'Copy link']) expect(second).toContain(`>${label}<`);
  });

  it('shows one vote control with the net score and the pressed state', () => {
    const s = state({ viewer: subscriber, canParticipate: true, blockedReason: null, blockedMessage: null });
    const html = row(s, comment({ id: 70, up: 12, down: 2, score: 10, myVote: 1 }), false);
    expect(html).toMatch(
      /<span class="parley-votes" role="group" aria-label="Votes"><button type="button" aria-label="Up vote" aria-pressed="true">▲<\/button><span class="parley-score">10<\/span><button type="button" aria-label="Down vote" aria-pressed="false">▼<\/button><\/span>/,
    );
    expect(row(s, comment({ id: 71, score: -2, myVote: -1 }), false)).toMatch(/aria-label="Down vote" aria-pressed="true"/);
  });

  it('gives guests votes and Reply that open the subscribe prompt', () => {
    const html = row(state(), comment({ id: 72 }), false);
    expect(html).toContain(`aria-disabled="true" title="${messages.errors.signin}"`);
    expect(html).toContain('<button type="button" aria-haspopup="dialog">Reply</button>');
    expect(html).not.toContain('>Quote<');
    expect(html).not.toContain('>Report<');
    expect(html).toContain('>Copy link<');
  });

  it('escapes names and other fields, and adds nothing executable to a body', () => {
    const html = render(state());
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
    // The body's escaped script text appears once, as text, and never as a tag.
    expect(html).not.toMatch(/<script/i);
    expect(html.split('&lt;script&gt;alert(1)&lt;/script&gt;')).toHaveLength(2);
    expect(html).not.toMatch(/<img/i);
  });

  it('has an empty polite status region for announcements', () => {
    expect(render(state())).toContain('<p class="parley-sr" role="status" aria-live="polite"></p>');
  });

  it('renders the same markup for the same state (hydration needs it)', () => {
    expect(render(state())).toBe(render(state()));
  });
});

describe('widget API client: one Idempotency-Key per comment', () => {
  /** A server whose first answer is lost on the way back; records the key of every post. */
  function flakyServer() {
    const keys: (string | undefined)[] = [];
    let lose = 0;
    let status = 201;
    const fetcher = (async (_url: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['idempotency-key']);
      if (lose > 0) {
        lose--;
        throw new TypeError('Failed to fetch');
      }
      const body = status === 201 ? { comment: comment(), commentCount: 1 } : { error: { code: 'request_in_progress', message: 'wait' } };
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return { keys, fetcher, loseNext: (n = 1) => (lose = n), answer: (s: number) => (status = s) };
  }

  it('sends the same key when a comment is sent again after a failure, and a new one for the next comment', async () => {
    const server = flakyServer();
    const api = createApi('/api/v1', 'csrf', server.fetcher);
    server.loseNext();
    await expect(api.post(9, 'First words', null)).rejects.toMatchObject({ code: 'network' });
    server.answer(409);
    await expect(api.post(9, 'First words', null)).rejects.toMatchObject({ code: 'request_in_progress' });
    server.answer(201);
    await api.post(9, 'First words', null);
    const [k1, k2, k3] = server.keys;
    expect(k1).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect([k2, k3]).toEqual([k1, k1]);
    // Posted: the same words again are a new comment (the server's duplicate rule judges them).
    await api.post(9, 'First words', null);
    expect(server.keys[3]).not.toBe(k1);
    // Other words, or the same words as a reply or about a passage, are other comments.
    await api.post(9, 'Other words', null);
    await api.post(9, 'First words', 1);
    await api.post(9, 'First words', null, {
      quote: { type: 'TextQuoteSelector', exact: 'q', prefix: '', suffix: '' },
      position: { type: 'TextPositionSelector', start: 0, end: 1 },
    });
    expect(new Set(server.keys.slice(3)).size).toBe(4);
  });
});
