import type { DiscussionState } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { dirOf, widgetScript } from '../../messages/locales.js';
import { currentLocale } from '../../messages/scope.js';
import { asset } from '../assets.js';
import { DiscussionMount } from './DiscussionMount.js';

/** The page inside the embed's iframe: the discussion alone, no site chrome. */
export function EmbedFrame({
  state,
  title,
  themeCss,
  scheme,
}: {
  state: DiscussionState;
  title: string;
  themeCss: string | null;
  scheme: 'light' | 'dark' | null;
}) {
  const lang = currentLocale();
  return (
    <html lang={lang} dir={dirOf(lang)} class="parley-embed" data-scheme={scheme ?? undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={scheme ?? 'light dark'} />
        <title>{title}</title>
        <link rel="icon" href={asset('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={asset('widget.css')} />
        <link rel="stylesheet" href={asset('embed-frame.css')} />
        {themeCss ? <link rel="stylesheet" href={themeCss} /> : null}
        <script type="module" src={asset(widgetScript(lang))} />
        <script type="module" src={asset('embed-frame.js')} />
      </head>
      <body>
        <main>
          {/* The frame is a document of its own to screen readers: it needs its own title heading. */}
          <h1 class="parley-sr">{messages.embed.frameHeading(title)}</h1>
          <DiscussionMount state={state} />
        </main>
      </body>
    </html>
  );
}
