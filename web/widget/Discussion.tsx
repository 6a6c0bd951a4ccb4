import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CommentView, DiscussionState, SortOrder, ThreadView } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/widget.js';
import { createApi } from './api.js';
import { useFocusAfterRender, WidgetContext, type Widget } from './context.js';
import { Composer } from './Composer.js';
import { JoinBlock } from './JoinBlock.js';
import type { LiveMessage } from './live.js';
import { addMoreReplies, addReply, appendThreads, commentIdFromHash, findComment, mapComment, prependThread, quoteMarkdown, rootOf } from './model.js';
import { SortTabs } from './SortTabs.js';
import { Thread } from './Thread.js';
import { CommentItem } from './CommentItem.js';
import type { Anchor } from '../../src/domain/anchoring.js';
import { useLazy } from './lazy.js';

const m = wm;


export function Discussion({ state, apiBase = '/api/v1' }: { state: DiscussionState; apiBase?: string }) {
  const api = useMemo(() => createApi(apiBase, state.csrfToken), [apiBase, state.csrfToken]);
  const [sort, setSort] = useState<SortOrder>(state.page.sort);
  const [tab, setTab] = useState<SortOrder | 'inline'>(state.page.sort);
  const [inlineList, setInlineList] = useState<CommentView[] | null>(null);
  // A new object each time the tab is opened, so the list moves focus again even to the same place.
  const [inlineFocus, setInlineFocus] = useState({ id: 'parley-count' });
  const [passage, setPassage] = useState<Anchor | null>(null);
  const [mainInsert, setMainInsert] = useState<{ text: string; n: number } | null>(null);
  const [hasArticle, setHasArticle] = useState(false);
  const [threads, setThreads] = useState<ThreadView[]>(state.page.threads);
  const [nextCursor, setNextCursor] = useState<string | null>(state.page.nextCursor);
  const [count, setCount] = useState(state.article.commentCount);
  const [mounted, setMounted] = useState(false);
  const [now, setNow] = useState(() => new Date(state.now));
  const [highlight, setHighlight] = useState<number | null>(state.focusCommentId);
  const [announcement, setAnnouncement] = useState('');
  const [waiting, setWaiting] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialogOpener, setDialogOpener] = useState<HTMLElement | null>(null);
  const focusLater = useFocusAfterRender();
  const notify = useLazy(() => import('./Notify.js'), mounted);
  const dialog = useLazy(() => import('./SubscribeDialog.js'), dialogOpener !== null);
  const passages = useLazy(() => import('./passages.js'), hasArticle);
  const inline = useLazy(() => import('./InlineList.js'), tab === 'inline');
  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const sortRef = useRef(sort);
  sortRef.current = sort;
  const viewerId = state.viewer?.id ?? null;
  // The article's own address, also inside the embed frame: Parley sends readers coming back to an
  // embedded discussion on to the publisher's page.
  const path = `/articles/${state.article.slug}`;

  const announce = (text: string) => {
    setAnnouncement('');
    setTimeout(() => setAnnouncement(text), 50);
  };

  const loadFirst = async (s: SortOrder) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.page(state.article.id, s);
      setThreads(page.threads);
      setNextCursor(page.nextCursor);
      setWaiting(0);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onLive = (msg: LiveMessage, apply: typeof import('./live.js').applyLive) =>
    apply(msg, {
      threads: threadsRef.current,
      sort: sortRef.current,
      viewerId,
      setCount,
      setThreads,
      setWaiting,
      reload: () => void loadFirst(sortRef.current),
      arrived: () => announce(m.live.arrived(1)),
      model: { findComment, addReply, prependThread, mapComment, rootOf },
    });


  const articleBody = () => (typeof document === 'undefined' ? null : document.querySelector('.article-body'));

  const refreshPassages = async () => {
    const root = articleBody();
    if (root && passages) setInlineList(await passages.markPassages(root, api, state.article.id, (start) => void openInline(start)));
  };

  const openInline = async (start?: number) => {
    setTab('inline');
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
      setHighlight(id);
      if (document.getElementById(`comment-${id}`)) return document.getElementById(`comment-${id}`)!.scrollIntoView({ block: 'start' });
      api
        .thread(id)
        .then((t) => {
          setThreads((ts) => prependThread(ts, t));
          focusLater(`comment-${id}`, true);
          announce(m.announce.linked);
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
      void import('./live.js').then(({ followLive, applyLive }) => {
        if (!gone) stop = followLive(`${apiBase}/articles/${state.article.id}/events`, (msg) => onLive(msg, applyLive));
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
    highlight,
    announce,
    prompt: (opener) => setDialogOpener(opener),
    async post(body, parentId) {
      const about = parentId === null ? passage : null;
      const res = await api.post(state.article.id, body, parentId, about);
      if (about) {
        setPassage(null);
        void refreshPassages();
      }
      setCount(res.commentCount);
      const c = res.comment;
      setThreads((ts) => (parentId === null ? prependThread(ts, { comment: c, replies: [], repliesCursor: null, moreReplies: 0 }) : addReply(ts, c)));
      focusLater(`comment-${c.id}`);
      announce(c.status === 'pending' ? m.announce.pending : parentId === null ? m.announce.posted : m.announce.replied);
    },
    async edit(id, body) {
      const res = await api.edit(id, body);
      setThreads((ts) => mapComment(ts, id, () => res.comment));
      focusLater(`comment-${id}`);
      announce(res.comment.status === 'pending' ? m.announce.editPending : m.announce.edited);
    },
    async remove(id) {
      const res = await api.remove(id);
      setCount(res.commentCount);
      setThreads((ts) => mapComment(ts, id, () => res.comment));
      announce(m.announce.deleted);
    },
    async vote(c, value) {
      const res = await api.vote(c.id, value);
      setThreads((ts) => mapComment(ts, c.id, (old) => ({ ...old, up: res.up, down: res.down, score: res.score, myVote: res.myVote })));
    },
    async loadReplies(t) {
      if (!t.repliesCursor) return;
      try {
        const page = await api.replies(t.comment.id, t.repliesCursor);
        setThreads((ts) => addMoreReplies(ts, t.comment.id, page));
        announce(m.announce.repliesLoaded(page.replies.length));
      } catch (err) {
        setError((err as Error).message);
      }
    },
  };

  // Only reachable once hydrated: before that the tabs are plain links.
  const changeSort = (s: SortOrder) => {
    setSort(s);
    setTab(s);
    history.replaceState(null, '', `?sort=${s}#comments`);
    void loadFirst(s).then(() => announce(m.announce.sorted(m.sorts[s])));
  };

  const loadMore = async () => {
    if (!nextCursor) return;
    setBusy(true);
    try {
      const page = await api.page(state.article.id, sort, nextCursor);
      setThreads((ts) => appendThreads(ts, page.threads));
      setNextCursor(page.nextCursor);
      // The button goes away on the last page: focus would fall to the page's start.
      if (!page.nextCursor && page.threads[0]) focusLater(`comment-${page.threads[0].comment.id}`);
      announce(m.announce.loaded(page.threads.length));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <WidgetContext.Provider value={widget}>
      <section id="comments" class="parley" aria-labelledby="parley-count">
        <div class="parley-head">
          <h2 id="parley-count">{m.commentsCount(count)}</h2>
          <a class="parley-view-all" href={`?sort=${sort}#comments`}>
            {m.viewAll}
          </a>
        </div>
        {state.viewer ? <p class="parley-signed-in">{m.signedInAs(state.viewer.name)}</p> : null}
        {state.canParticipate ? (
          <>
            {passage ? (
              <div class="parley-about">
                <p>{m.passage.about}</p>
                <blockquote class="parley-passage-quote">{passage.quote.exact}</blockquote>
                <button type="button" onClick={() => setPassage(null)}>
                  {m.passage.remove}
                </button>
              </div>
            ) : null}
            <Composer id="parley-new" label={m.composerLabel} submitLabel={m.post} busyLabel={m.posting} insert={mainInsert} onSubmit={(body) => widget.post(body, null)} />
          </>
        ) : (
          <JoinBlock state={state} path={path} />
        )}
        {notify ? <notify.Notify w={widget} /> : null}
        <SortTabs sort={tab} onSort={changeSort} inline={hasArticle ? () => void openInline() : undefined} />
        {waiting > 0 ? (
          <p class="parley-waiting">
            <button type="button" onClick={() => void loadFirst(sort)}>
              {m.live.newComments(waiting)}
            </button>
          </p>
        ) : null}
        {error ? (
          <p class="parley-error" role="alert">
            {error}
          </p>
        ) : null}
        {tab === 'inline' && inline && inlineList ? <inline.InlineList comments={inlineList} focus={inlineFocus} Item={CommentItem} wm={m} /> : null}
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
