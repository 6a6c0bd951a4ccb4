import { messages } from '../messages.js';
import type { OutgoingMail } from './mailer.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A mail whose point is one link: a sentence, a button, and a line for those who did not ask. */
export function linkMail(to: string, subject: string, text: string, intro: string, link: string, button: string): OutgoingMail {
  return {
    to,
    subject,
    text,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${esc(intro)}</p>
<p><a href="${esc(link)}" style="display:inline-block;padding:10px 18px;background:#1a4d8f;color:#fff;border-radius:6px;text-decoration:none">${esc(button)}</a></p>
<p style="color:#555">${esc(messages.mail.loginIgnore)}</p>
</body></html>`,
  };
}

export function loginMail(to: string, link: string, publication: string): OutgoingMail {
  const m = messages.mail;
  return linkMail(to, m.loginSubject(publication), m.loginText(link, publication), m.loginHtmlIntro(publication), link, m.loginButton);
}

export interface NotifiedComment {
  id: number;
  authorName: string;
  bodyHtml: string;
  excerpt: string;
  articleTitle: string;
  link: string;
}

const shell = (inner: string, footer: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:38rem">${inner}<hr style="border:0;border-top:1px solid #ddd"><p style="color:#555;font-size:13px">${footer}</p></body></html>`;

/** One comment, for an instant reply or follow mail, with one-click unsubscribe (RFC 8058). */
export function commentMail(
  to: string,
  kind: 'reply' | 'mention' | 'comment' | 'featured',
  c: NotifiedComment,
  unsubscribeUrl: string,
  publication: string,
): OutgoingMail {
  const n = messages.notify;
  const [intro, subject] = {
    reply: [n.replyIntro, n.replySubject],
    mention: [n.mentionIntro, n.mentionSubject],
    comment: [n.commentIntro, n.commentSubject],
    featured: [n.featuredIntro, n.featuredSubject],
  }[kind].map((f) => f(c.authorName, c.articleTitle)) as [string, string];
  // Replies and mentions are about the reader's own comments; the others about an article they follow.
  const stop = kind === 'reply' || kind === 'mention' ? n.unsubscribeReplies : n.unsubscribeArticle;
  return {
    to,
    subject,
    text: `${intro}\n\n${c.excerpt}\n\n${n.readMore}: ${c.link}\n\n--\n${n.footerWhy(publication)}\n${stop}: ${unsubscribeUrl}\n`,
    html: shell(
      `<p>${esc(intro)}</p><blockquote style="margin:0;padding-left:12px;border-left:3px solid #8a2b12">${c.bodyHtml}</blockquote><p><a href="${esc(c.link)}">${esc(n.readMore)}</a></p>`,
      `${esc(n.footerWhy(publication))} <a href="${esc(unsubscribeUrl)}">${esc(stop)}</a>`,
    ),
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** Several comments in one daily mail. */
export function digestMail(to: string, items: NotifiedComment[], unsubscribeUrl: string, publication: string): OutgoingMail {
  const n = messages.notify;
  const text = items.map((c) => `${c.authorName} on “${c.articleTitle}”:\n${c.excerpt}\n${c.link}`).join('\n\n');
  const html = items
    .map(
      (c) =>
        `<h3 style="font-size:15px;margin:18px 0 4px">${esc(c.authorName)} · ${esc(c.articleTitle)}</h3><blockquote style="margin:0;padding-left:12px;border-left:3px solid #8a2b12">${c.bodyHtml}</blockquote><p><a href="${esc(c.link)}">${esc(n.readMore)}</a></p>`,
    )
    .join('');
  return {
    to,
    subject: n.digestSubject(items.length, publication),
    text: `${n.digestIntro}\n\n${text}\n\n--\n${n.footerWhy(publication)}\n${n.unsubscribeReplies}: ${unsubscribeUrl}\n`,
    html: shell(`<p>${esc(n.digestIntro)}</p>${html}`, `${esc(n.footerWhy(publication))} <a href="${esc(unsubscribeUrl)}">${esc(n.unsubscribeReplies)}</a>`),
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

export function confirmFollowMail(to: string, articleTitle: string, link: string): OutgoingMail {
  const n = messages.notify;
  return {
    to,
    subject: n.confirmSubject(articleTitle),
    text: n.confirmText(articleTitle, link),
    html: shell(`<p>${esc(n.confirmIntro(articleTitle))}</p><p><a href="${esc(link)}">${esc(n.confirmButton)}</a></p>`, esc(messages.mail.loginIgnore)),
  };
}
