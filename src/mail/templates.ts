import { messages } from '../messages.js';
import type { OutgoingMail } from './mailer.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginMail(to: string, link: string, publication: string): OutgoingMail {
  const m = messages.mail;
  return {
    to,
    subject: m.loginSubject(publication),
    text: m.loginText(link, publication),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${esc(m.loginHtmlIntro(publication))}</p>
<p><a href="${esc(link)}" style="display:inline-block;padding:10px 18px;background:#1a4d8f;color:#fff;border-radius:6px;text-decoration:none">${esc(m.loginButton)}</a></p>
<p style="color:#555">${esc(m.loginIgnore)}</p>
</body></html>`,
  };
}
