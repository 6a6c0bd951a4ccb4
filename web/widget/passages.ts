/**
 * Passages of the article in the page: finds what the reader selected as W3C selectors,
 * highlights passages that have comments, and offers a small toolbar for a selection. Offsets are
 * in the article's normalised text (whitespace runs as one space, trimmed), as on the server.
 * Loaded on demand, after the discussion is interactive.
 */
import { describeRange, passageMarks, type Anchor } from '../../src/domain/anchoring.js';
import type { CommentView } from '../../src/domain/types.js';
import { widgetExtras } from '../../src/messages/current/widget-extras.js';
import type { Api } from './api.js';

const labels = widgetExtras.passageTools;

/** Loads the passage comments and marks each commented passage; returns the comments. */
export async function markPassages(root: Element, api: Api, articleId: number, onOpen: (start: number) => void): Promise<CommentView[]> {
  const { comments } = await api.passages(articleId);
  const marks = passageMarks(comments.flatMap((c) => (c.anchor?.status === 'anchored' ? [c.anchor] : [])));
  highlight(
    root,
    marks.map((m) => ({ ...m, label: labels.count(m.count) })),
    onOpen,
  );
  return comments;
}

interface Point {
  node: Text;
  offset: number;
}

export interface TextMap {
  text: string;
  points: Point[];
}

/** The article's normalised text, with where each of its characters sits in the DOM. */
export function mapText(root: Element): TextMap {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('[data-anchor-ignore], .parley-toolbar') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let text = '';
  const points: Point[] = [];
  let space: Point | null = null;
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const data = n.data;
    for (let i = 0; i < data.length; i++) {
      if (/\s/.test(data[i]!)) {
        if (text.length && !space) space = { node: n, offset: i };
        continue;
      }
      if (space) {
        text += ' ';
        points.push(space);
        space = null;
      }
      text += data[i];
      points.push({ node: n, offset: i });
    }
  }
  return { text, points };
}

/** The selection inside `root` as selectors, or null when there is none there. */
export function selectionAnchor(root: Element): Anchor | null {
  const sel = getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  return rangeAnchor(root, sel.getRangeAt(0));
}

/** A DOM range inside the article as selectors, or null when it holds no text there. */
export function rangeAnchor(root: Element, range: Range): Anchor | null {
  if (!root.contains(range.commonAncestorContainer)) return null;
  const { text, points } = mapText(root);
  const span = rangeSpan(points, range);
  if (!span) return null;
  let { start, end } = span;
  while (text[start] === ' ' && start < end) start++;
  while (text[end - 1] === ' ' && end > start) end--;
  if (end <= start) return null;
  end = Math.min(end, start + 1000);
  return describeRange(text, start, end);
}

/** A commented passage to mark, in the article's normalised text. */
interface PassageMark {
  start: number;
  end: number;
  count: number;
  label: string;
}

/** Which characters of a text map a DOM range covers, or null when none. */
function rangeSpan(points: Point[], range: Range): { start: number; end: number } | null {
  let start = -1;
  let end = -1;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    // A character is selected when both its edges lie within the range.
    const where = range.comparePoint(p.node, p.offset);
    if (where > 0) break;
    if (where < 0 || range.comparePoint(p.node, p.offset + 1) !== 0) continue;
    if (start < 0) start = i;
    end = i + 1;
  }
  return start < 0 ? null : { start, end };
}

/**
 * Runs `change` on the article's DOM and puts the reader's selection back on the same characters:
 * unwrapping and merging text nodes would otherwise move its ends (a reader selecting while the
 * marks are redrawn got a different passage).
 */
function keepingSelection(root: Element, change: () => void): void {
  const sel = getSelection();
  const range = sel && !sel.isCollapsed && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
  const span = range && root.contains(range.commonAncestorContainer) ? rangeSpan(mapText(root).points, range) : null;
  change();
  if (!sel || !span) return;
  const { points } = mapText(root);
  const first = points[span.start];
  const last = points[span.end - 1];
  if (!first || !last) return;
  const r = document.createRange();
  r.setStart(first.node, first.offset);
  r.setEnd(last.node, last.offset + 1);
  sel.removeAllRanges();
  sel.addRange(r);
}

/** Wraps each commented passage in a <mark> the reader can click or press to read about it. */
export function highlight(root: Element, passages: PassageMark[], onOpen: (start: number) => void): void {
  keepingSelection(root, () => mark(root, passages, onOpen));
}

function mark(root: Element, passages: PassageMark[], onOpen: (start: number) => void): void {
  for (const old of root.querySelectorAll('mark.parley-passage')) old.replaceWith(...old.childNodes);
  root.normalize();
  const { points } = mapText(root);
  // Back to front, so wrapping one passage never moves the text of those still to do. Passages
  // arrive merged (passageMarks), so none overlap.
  for (const p of [...passages].sort((a, b) => b.start - a.start)) {
    if (p.end > points.length) continue;
    const segments: { node: Text; from: number; to: number }[] = [];
    for (let i = p.start; i < p.end; i++) {
      const pt = points[i]!;
      const last = segments.at(-1);
      if (last && last.node === pt.node) last.to = pt.offset + 1;
      else segments.push({ node: pt.node, from: pt.offset, to: pt.offset + 1 });
    }
    segments.reverse().forEach((s, k) => {
      const r = document.createRange();
      r.setStart(s.node, s.from);
      r.setEnd(s.node, s.to);
      const mark = document.createElement('mark');
      mark.className = 'parley-passage';
      // Only the first piece is a stop for the keyboard; the others are the same passage.
      if (k === segments.length - 1) {
        mark.tabIndex = 0;
        mark.setAttribute('role', 'button');
        mark.setAttribute('aria-label', p.label);
        mark.dataset.count = String(p.count);
      }
      mark.addEventListener('click', () => onOpen(p.start));
      mark.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(p.start);
        }
      });
      r.surroundContents(mark);
    });
  }
}

/**
 * A small toolbar after the paragraph holding the selection: next in tab order for keyboard
 * readers, placed by the selection for pointer readers.
 */
export function watchSelection(root: Element, act: (kind: 'comment' | 'quote' | 'answer', a: Anchor, question?: string) => void): () => void {
  // Inline questions answer the paragraph just before them (up to the selector's length limit).
  const onAnswer = (e: Event) => {
    const link = (e.target as Element).closest('.parley-question-answer');
    const aside = link?.closest('.parley-question');
    const before = aside?.previousElementSibling;
    if (!link || !aside || !before) return;
    e.preventDefault();
    const r = document.createRange();
    r.selectNodeContents(before);
    const a = rangeAnchor(root, r);
    if (a) act('answer', a, aside.querySelector('.parley-question-text')?.textContent ?? '');
  };
  root.addEventListener('click', onAnswer);
  const bar = document.createElement('div');
  bar.className = 'parley-toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', labels.toolbar);
  bar.hidden = true;
  let current: Anchor | null = null;
  for (const kind of ['comment', 'quote'] as const) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = labels[kind];
    // Keep the selection alive while the pointer presses the button.
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => {
      if (current) act(kind, current);
      bar.hidden = true;
    });
    bar.appendChild(b);
  }
  const update = () => {
    const a = selectionAnchor(root);
    if (!a) {
      if (!bar.contains(document.activeElement)) bar.hidden = true;
      return;
    }
    current = a;
    const range = getSelection()!.getRangeAt(0);
    const block =
      (range.endContainer.nodeType === 1 ? (range.endContainer as Element) : range.endContainer.parentElement)?.closest('p, li, blockquote, h2, h3, h4') ??
      root.lastElementChild;
    if (block && bar.previousElementSibling !== block) block.after(bar);
    const rect = range.getBoundingClientRect();
    const host = root.getBoundingClientRect();
    bar.style.top = `${rect.bottom - host.top + 6}px`;
    bar.style.left = `${Math.max(0, Math.min(rect.left - host.left, host.width - 260))}px`;
    bar.hidden = false;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  };
  document.addEventListener('selectionchange', onChange);
  // A reader quicker than this code's arrival may have selected words already.
  onChange();
  return () => {
    root.removeEventListener('click', onAnswer);
    document.removeEventListener('selectionchange', onChange);
    bar.remove();
  };
}
