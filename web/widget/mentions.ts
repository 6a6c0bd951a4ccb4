import { widgetExtras } from '../../src/messages/current/widget-extras.js';
import type { Api } from './api.js';

/*
 * `@name` suggestions in the discussion's comment boxes: the participants whose name starts with
 * what follows the `@` (those of the thread a reply goes into first), in a listbox under the box.
 * The box keeps focus and names the chosen reader with aria-activedescendant; arrows choose,
 * Enter or Tab mention, Escape closes. Loaded when a reader first types `@`; it listens on the
 * discussion for every box, new reply boxes included, and changes a box's words the way typing
 * does (an `input` event), so the composers need to know nothing of it.
 */

interface Person {
  id: number;
  name: string;
}

/** The `@` being typed before the caret: where it starts and what follows it (a name may hold spaces). */
function typing(el: HTMLTextAreaElement): { start: number; q: string } | null {
  const before = el.value.slice(0, el.selectionStart);
  const m = /(?:^|[^\p{L}\p{N}_])@([^\s@][^\n@]{0,39})?$/u.exec(before);
  const q = m ? (m[1] ?? '') : '';
  // Two spaces, or more words than a name has: the reader has moved on.
  if (!m || /\s\s/.test(q) || q.split(' ').length > 4) return null;
  return { start: before.length - q.length - 1, q };
}

export function attachMentions(root: HTMLElement, api: Api, articleId: number, first: HTMLTextAreaElement): () => void {
  const list = document.createElement('div');
  list.className = 'parley-mentions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', widgetExtras.mentions.label);
  let box: HTMLTextAreaElement | null = null;
  let at: { start: number; q: string } | null = null;
  let people: Person[] = [];
  let active = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Where the last mention was put in: its own words are not a new `@` to suggest for. */
  let chosen = -1;

  const optionId = (i: number) => `${list.id}-${i}`;
  const close = () => {
    people = [];
    list.remove();
    box?.removeAttribute('aria-controls');
    box?.removeAttribute('aria-activedescendant');
  };
  const draw = () => {
    if (!box || people.length === 0) return close();
    list.id = `${box.id}-mentions`;
    list.replaceChildren(
      ...people.map((p, i) => {
        const o = document.createElement('div');
        o.id = optionId(i);
        o.setAttribute('role', 'option');
        o.setAttribute('aria-selected', String(i === active));
        o.textContent = `@${p.name}`;
        // On press, not click: focus stays in the box, where typing goes on.
        o.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(p);
        });
        return o;
      }),
    );
    if (list.previousElementSibling !== box) box.after(list);
    box.setAttribute('aria-autocomplete', 'list');
    box.setAttribute('aria-controls', list.id);
    box.setAttribute('aria-activedescendant', optionId(active));
  };
  const choose = (p: Person) => {
    if (!box || !at) return;
    const el = box;
    const words = `@${p.name} `;
    const caret = at.start + words.length;
    chosen = at.start;
    close();
    el.value = el.value.slice(0, at.start) + words + el.value.slice(el.selectionStart);
    // As if typed: the composer's own state follows.
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.setSelectionRange(caret, caret);
    el.focus();
  };
  const update = (el: HTMLTextAreaElement) => {
    box = el;
    const now = typing(el);
    at = now;
    clearTimeout(timer);
    if (!now || now.start === chosen) return close();
    chosen = -1;
    // A reply's box sits inside the comment it answers: that comment's thread comes first.
    const inside = el.closest('.parley-thread > article')?.id.replace('comment-', '');
    timer = setTimeout(() => {
      api
        .call<{ participants: Person[] }>(
          'GET',
          `/articles/${articleId}/participants?q=${encodeURIComponent(now.q.trim())}${inside ? `&thread=${inside}` : ''}`,
        )
        .then((r) => {
          if (at !== now) return;
          people = r.participants;
          active = 0;
          draw();
        })
        .catch(close);
    }, 120);
  };

  const onInput = (e: Event) => {
    if (e.target instanceof HTMLTextAreaElement) update(e.target);
  };
  // Before the box's own keys (Escape cancels a reply, Ctrl+Enter posts): the capture phase.
  const onKey = (e: KeyboardEvent) => {
    if (e.target !== box || people.length === 0) return;
    const n = people.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      active = (active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      draw();
    } else if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') choose(people[active]!);
    else if (e.key === 'Escape') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const onOut = (e: FocusEvent) => {
    if (e.target === box && !list.contains(e.relatedTarget as Node | null)) close();
  };
  root.addEventListener('input', onInput);
  root.addEventListener('keydown', onKey, true);
  root.addEventListener('focusout', onOut);
  update(first);
  return () => {
    close();
    root.removeEventListener('input', onInput);
    root.removeEventListener('keydown', onKey, true);
    root.removeEventListener('focusout', onOut);
  };
}
