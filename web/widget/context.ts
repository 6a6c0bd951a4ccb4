/** What every part of the widget shares: the server's state, the clock and the actions. */
import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { CommentView, DiscussionState, SortOrder, ThreadView } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';
import type { Api } from './api.js';

export interface Widget {
  state: DiscussionState;
  api: Api;
  sort: SortOrder;
  /** The instant relative times are measured from: the server's until mounted, then the reader's clock. */
  now: Date;
  /** False while rendering on the server and during hydration; true once the browser runs the widget. */
  mounted: boolean;
  /** The comment a link pointed at, drawn with an outline. */
  highlight: number | null;
  post(body: string, parentId: number | null): Promise<void>;
  /** Shows `c` as the server now has it (an edit, a deletion), with the article's new count if it changed. */
  show(c: CommentView, count?: number): void;
  /** Focuses (and may scroll to) the element with this id once the next render is in the DOM. */
  focusLater(id: string | null, scroll?: boolean): void;
  vote(c: CommentView, value: -1 | 0 | 1): Promise<void>;
  loadReplies(thread: ThreadView): Promise<void>;
  announce(message: string): void;
  /** Opens the subscribe prompt; focus returns to `opener` when it closes. */
  prompt(opener: HTMLElement): void;
}

export const WidgetContext = createContext<Widget | null>(null);

/** Every widget component renders inside <Discussion>, which provides this. */
export const useWidget = (): Widget => useContext(WidgetContext)!;

/** Why this viewer may not post, reply or vote, or null when they may. */
export function blockMessage(state: DiscussionState): string | null {
  if (state.canParticipate) return null;
  return state.blockedMessage;
}

/** The message to show for a failed action. */
export const errorText = (err: unknown): string => (err instanceof Error && err.message ? err.message : wm.failed);

/**
 * Focus (and optionally scroll to) an element by id once the next render is in the DOM:
 * `later('comment-12')`. Used where the element to focus does not exist yet.
 */
export function useFocusAfterRender(): (id: string | null, scroll?: boolean) => void {
  const pending = useRef<{ id: string; scroll: boolean } | null>(null);
  useEffect(() => {
    const p = pending.current;
    if (!p) return;
    pending.current = null;
    // The element may come in a later render (a part loaded on use): look again for a moment.
    const go = (tries: number) => {
      const el = document.getElementById(p.id);
      if (!el) return void (tries > 0 && pending.current === null && setTimeout(() => go(tries - 1), 50));
      if (p.scroll) el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: p.scroll });
    };
    go(20);
  });
  return (id, scroll = false) => {
    pending.current = id === null ? null : { id, scroll };
  };
}
