import type { ComponentChildren } from 'preact';
import type { ViewerInfo } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { dirOf } from '../../messages/locales.js';
import { currentLocale } from '../../messages/scope.js';
import { asset } from '../assets.js';

export interface LayoutProps {
  title: string;
  publication: string;
  description?: string;
  viewer: Pick<ViewerInfo, 'name' | 'role'> | null;
  csrfToken: string | null;
  /** Where sign-in should bring the reader back to. */
  returnPath: string;
  scripts?: string[];
  children: ComponentChildren;
}

const m = messages.pages;

/** The page shell every server-rendered page shares. No inline script or style: the CSP forbids them. */
export function Layout(p: LayoutProps) {
  const lang = currentLocale();
  return (
    <html lang={lang} dir={dirOf(lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{p.title}</title>
        {p.description ? <meta name="description" content={p.description} /> : null}
        <link rel="icon" href={asset('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={asset('site.css')} />
        <link rel="stylesheet" href={asset('widget.css')} />
        {(p.scripts ?? []).map((src) => (
          <script type="module" src={src} key={src} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {m.skipToContent}
        </a>
        <header class="site-header">
          <a class="site-name" href="/">
            {p.publication}
          </a>
          <nav aria-label={messages.account.link}>
            {p.viewer ? (
              <form method="post" action="/signout" class="signout">
                <span class="signed-in-as">{m.signedInAs(p.viewer.name)}</span>
                {p.viewer.role !== 'reader' ? <a href="/admin">{messages.moderation.navLink}</a> : null}
                <a href="/account">{messages.account.link}</a>
                <input type="hidden" name="_csrf" value={p.csrfToken ?? ''} />
                <button type="submit" class="link-button">
                  {m.signOut}
                </button>
              </form>
            ) : (
              <a href={`/signin?return=${encodeURIComponent(p.returnPath)}`}>{m.signIn}</a>
            )}
          </nav>
        </header>
        <main id="main">{p.children}</main>
        <footer class="site-footer">
          <p>{m.footer}</p>
        </footer>
      </body>
    </html>
  );
}
