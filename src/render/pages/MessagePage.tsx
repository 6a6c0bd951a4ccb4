import type { ComponentChildren } from 'preact';

/** A short page with a heading and a few lines: confirmations, errors, not-found. */
export function MessagePage({ heading, children }: { heading: string; children?: ComponentChildren }) {
  return (
    <section class="message-page" aria-labelledby="message-heading">
      <h1 id="message-heading">{heading}</h1>
      {children}
    </section>
  );
}
