import type { DiscussionState } from '../../src/domain/types.js';

let kept: { type: string; props: Record<string, unknown> } | undefined;

/**
 * JoinBlock as the browser bundle has it (scripts/build-web.mjs puts it in JoinBlock.tsx's
 * place): the server's markup, kept as it is. It holds only text and links, and the reader it
 * was written for does not change while the page is open, so the first download carries none
 * of the code that writes it. Hydration leaves an element's inner HTML alone.
 */
export function JoinBlock(_: { state: DiscussionState; path: string }) {
  if (!kept) {
    const el = document.querySelector('#comments .parley-join, #comments .parley-notice')!;
    kept = {
      type: el.localName,
      props: { class: el.className, 'aria-labelledby': el.getAttribute('aria-labelledby') ?? undefined, dangerouslySetInnerHTML: { __html: el.innerHTML } },
    };
  }
  const Tag = kept.type as 'section';
  return <Tag {...kept.props} />;
}
