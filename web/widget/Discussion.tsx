import { useEffect, useMemo, useReducer, useState } from 'preact/hooks';
import type { CommentView, DiscussionState, SortOrder } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';
import { createApi } from './api.js';
import { useFocusAfterRender, WidgetContext, type Widget } from './context.js';
import { Composer } from './Composer.js';
import { JoinBlock } from './JoinBlock.js';
import { commentIdFromHash, discussion, quoteMarkdown, type View } from './model.js';
import { SortTabs } from './SortTabs.js';
import { Thread } from './Thread.js';
import { CommentItem } from './CommentItem.js';
import type { Anchor } from '../../src/domain/anchoring.js';
import { useLazy } from './lazy.js';
import type { WidgetExtrasCatalog } from '../../src/messages/catalog.js';

const m = wm;

// The server's page, as the server rendered it: same order, threads and cursor.
const initial = (state: DiscussionState): View => ({
  ...state.page,
  tab: state.page.sort,
  count: state.article.commentCount,
  waiting: 0,
  arrived: 0,
  stale: 0,
  highlight: state.focusCommentId,
});

export function Discussion({ state, apiBase = '/api/v1' }: { state: DiscussionState; apiBase?: string }) {
  const api = useMemo(() => createApi(apiBase, state.csrfToken), [apiBase, state.csrfToken]);
  const [v, dispatch] = useReducer(discussion, state, initial);
  const { sort, tab, threads, nextCursor, busy } = v;
  const [inlineList, setInlineList] = useState<CommentView[] | null>(null);
  // A new object each time the tab is opened, so the list moves focus again even to the same place.
  const [inlineFocus, setInlineFocus] = useState({ id: 'parley-count' });
  const [passage, setPassage] = useState<Anchor | null>(null);
  const [mainInsert, setMainInsert] = useState<{ text: string; n: number } | null>(null);
  const [hasArticle, setHasArticle] = useState(false);
  const [mounted, setMounted] = useState(false);
  const [now, setNow] = useState(() => new Date(state.now));
  const [announcement, setAnnouncement] = useState('');
  const [dialogOpener, setDialogOpener] = useState<HTMLElement | null>(null);
  const focusLater = useFocusAfterRender();
  const notify = useLazy(() => import('./Notify.js'), mounted);
  const dialog = useLazy(() => import('./SubscribeDialog.js'), dialogOpener !== null);
  const passages = useLazy(() => import('./passages.js'), hasArticle);
  const inline = useLazy(() => import('./InlineList.js'), tab === 'inline');
  const viewerId = state.viewer?.id ?? null;
  // The article's own address, also inside the embed frame: Parley sends readers coming back to an
  // embedded discussion on to the publisher's page.
  const path = `/articles/${state.article.slug}`;

  const announce = (text: string) => {
    setAnnouncement('');
    setTimeout(() => setAnnouncement(text), 50);
  };
  // What is said after an action comes with the parts loaded on use: its words stay out of the first download.
  const say = (pick: (x: WidgetExtrasCatalog) => string) =>
    void import('../../src/messages/current/widget-extras.js').then((s) => announce(pick(s.widgetExtras)));

  const set = (to: Partial<View>) => dispatch({ type: 'set', to });
  const failed = (err: unknown) => set({ error: (err as Error).message });

  // `all`: View all comments, each thread with every reply (its further pages too, by their cursor).
  const loadFirst = async (s: SortOrder, all?: 1) => {
    set({ busy: true, error: null });
    try {
      dispatch({ type: 'page', page: await api.page(state.article.id, s, null, all) });
    } catch (err) {
      failed(err);
    } finally {
      set({ busy: false });
    }
  };

  // What live updates did that the reader must hear of, or that needs the server again.
  useEffect(() => {
    if (v.arrived) say((x) => x.announce.arrived(1));
  }, [v.arrived]);
  useEffect(() => {
    if (v.stale) void loadFirst(sort);
  }, [v.stale]);

  // Only called in the browser (effects and actions), never while rendering on the server.
  const articleBody = () => document.querySelector('.article-body');

  const refreshPassages = async () => {
    const root = articleBody();
    if (root && passages) setInlineList(await passages.markPassages(root, api, state.article.id, (start) => void openInline(start)));
  };

  const openInline = async (start?: number) => {
    set({ tab: 'inline' });
    const { comments } = await api.passages(state.article.id);
    setInlineList(comments);
    const first = comments.find((c) => c.anchor?.start === start);
    setInlineFocus({ id: first ? `comment-${first.id}` : 'parley-count' });
  };

  useEffect(() => {
    const root = articleBody();
    if (!passages || !root) return;
    void refreshPassages();
    return passages.watchSelection(root, (kind, a, question) => {
      if (!state.canParticipate) return setDialogOpener(document.activeElement as HTMLElement);
      if (kind !== 'quote') setPassage(a);
      const text = kind === 'answer' ? `> ${question}\n\n` : kind === 'quote' ? quoteMarkdown(a.quote.exact, state.article.title) : null;
      if (text) setMainInsert((prev) => ({ text, n: (prev?.n ?? 0) + 1 }));
      focusLater('parley-new', true);
    });
  }, [passages]);

  useEffect(() => {
    setMounted(true);
    setHasArticle(!!articleBody());
    setNow(new Date());
    const tick = setInterval(() => setNow(new Date()), 30_000);
    // `#comment-ID`: on arrival, and whenever the address changes to one later (links in
    // comments, notification links opened in this tab). Off-page comments are fetched with their thread.
    const follow = (target: number | null) => {
      const id = commentIdFromHash(location.hash) ?? target;
      if (id === null) return;
      set({ highlight: id });
      const shown = document.getElementById(`comment-${id}`);
      if (shown) return shown.scrollIntoView({ block: 'start' });
      api
        .thread(id)
        .then((t) => {
          dispatch({ type: 'thread', thread: t });
          focusLater(`comment-${id}`, true);
          say((x) => x.announce.linked);
        })
        .catch(() => {});
    };
    follow(state.focusCommentId);
    const onHash = () => follow(null);
    addEventListener('hashchange', onHash);
    // Live updates are not needed to read the page: their code arrives after it is interactive.
    let stop = () => {};
    let gone = false;
    if (typeof EventSource !== 'undefined') {
      void import('./live.js').then(({ followLive, foldLive }) => {
        if (!gone)
          stop = followLive(
            `${apiBase}/articles/${state.article.id}/events`,
            (msg) => dispatch({ type: 'live', msg, viewerId, fold: foldLive }),
            state.page.since,
          );
      });
    }
    return () => {
      gone = true;
      clearInterval(tick);
      removeEventListener('hashchange', onHash);
      stop();
    };
  }, []);

  const widget: Widget = {
    state,
    api,
    sort,
    now,
    mounted,
    highlight: v.highlight,
    announce,
    prompt: (opener) => setDialogOpener(opener),
    async post(body, parentId) {
      const about = parentId === null ? passage : null;
      const res = await api.post(state.article.id, body, parentId, about);
      if (about) {
        setPassage(null);
        void refreshPassages();
      }
      const c = res.comment;
      dispatch({ type: 'posted', comment: c, count: res.commentCount });
      focusLater(`comment-${c.id}`);
      say((x) => (c.status === 'pending' ? x.announce.pending : parentId === null ? x.announce.posted : x.announce.replied));
    },
    show: (c, count) => dispatch({ type: 'changed', id: c.id, to: () => c, count }),
    focusLater,
    async vote(c, value) {
      const res = await api.vote(c.id, value);
      dispatch({ type: 'changed', id: c.id, to: (old) => ({ ...old, ...res }) });
    },
    async loadReplies(t) {
      if (!t.repliesCursor) return;
      try {
        const page = await api.replies(t.comment.id, t.repliesCursor);
        dispatch({ type: 'replies', rootId: t.comment.id, page });
        say((x) => x.announce.repliesLoaded(page.replies.length));
      } catch (err) {
        failed(err);
      }
    },
  };

  // Only reachable once hydrated: before that the tabs are plain links.
  const changeSort = (s: SortOrder) => {
    set({ sort: s, tab: s });
    history.replaceState(null, '', `?sort=${s}#comments`);
    void loadFirst(s).then(() => say((x) => x.announce.sorted(m.sorts[s])));
  };

  const loadMore = async () => {
    if (!nextCursor) return;
    set({ busy: true });
    try {
      const page = await api.page(state.article.id, sort, nextCursor);
      dispatch({ type: 'page', page, more: true });
      // The button goes away on the last page: focus would fall to the page's start.
      if (!page.nextCursor && page.threads[0]) focusLater(`comment-${page.threads[0].comment.id}`);
      say((x) => x.announce.loaded(page.threads.length));
    } catch (err) {
      failed(err);
    } finally {
      set({ busy: false });
    }
  };

  return (
    <WidgetContext.Provider value={widget}>
      <section id="comments" class="parley" aria-labelledby="parley-count">
        <div class="parley-head">
          <h2 id="parley-count">{m.commentsCount(v.count)}</h2>
          <a
            class="parley-view-all"
            href={`?sort=${sort}&all=1#comments`}
            onClick={(e) => {
              e.preventDefault();
              void loadFirst(sort, 1);
            }}
          >
            {m.viewAll}
          </a>
        </div>
        {state.viewer ? <p class="parley-signed-in">{m.signedInAs(state.viewer.name)}</p> : null}
        {state.canParticipate ? (
          <>
            <Composer
              id="parley-new"
              label={m.composerLabel}
              submitLabel={m.post}
              busyLabel={m.posting}
              insert={mainInsert}
              onSubmit={(body) => widget.post(body, null)}
            />
            {/* Below the box, not above it: the box is scrolled to the top of the view, and the passage stays in sight. */}
            {passage ? (
              <div class="parley-about">
                <p>{m.passage.about}</p>
                <blockquote class="parley-passage-quote">{passage.quote.exact}</blockquote>
                <button type="button" onClick={() => setPassage(null)}>
                  {m.passage.remove}
                </button>
              </div>
            ) : null}
          </>
        ) : (
          <JoinBlock state={state} path={path} />
        )}
        {notify ? <notify.Notify w={widget} /> : null}
        <SortTabs sort={tab} onSort={changeSort} inline={hasArticle ? () => void openInline() : undefined} />
        {v.waiting > 0 ? (
          <p class="parley-waiting">
            <button type="button" onClick={() => void loadFirst(sort)}>
              {m.live.newComments(v.waiting)}
            </button>
          </p>
        ) : null}
        {v.error ? (
          <p class="parley-error" role="alert">
            {v.error}
          </p>
        ) : null}
        {tab === 'inline' && inline && inlineList ? <inline.InlineList comments={inlineList} focus={inlineFocus} Item={CommentItem} /> : null}
        {tab !== 'inline' && threads.length === 0 ? <p class="parley-empty">{m.noComments}</p> : null}
        <ol class="parley-threads" aria-busy={busy ? 'true' : 'false'} hidden={tab === 'inline'}>
          {threads.map((t) => (
            <Thread key={t.comment.id} thread={t} />
          ))}
        </ol>
        {nextCursor && tab !== 'inline' ? (
          <p class="parley-load-more">
            {mounted ? (
              <button type="button" onClick={loadMore} disabled={busy}>
                {busy ? m.loading : m.loadMore}
              </button>
            ) : (
              <a href={`?sort=${sort}&cursor=${encodeURIComponent(nextCursor)}#comments`}>{m.loadMore}</a>
            )}
          </p>
        ) : null}
        {dialog ? <dialog.SubscribeDialog state={state} path={path} opener={dialogOpener} onClose={() => setDialogOpener(null)} wm={m} /> : null}
        <p class="parley-sr" role="status" aria-live="polite">
          {announcement}
        </p>
      </section>
    </WidgetContext.Provider>
  );
}
