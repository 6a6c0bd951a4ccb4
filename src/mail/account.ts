import { messages } from '../messages.js';
import type { OutgoingMail } from './mailer.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Sent to the new address: the change happens only when its owner opens the link. */
export function emailChangeMail(to: string, link: string, publication: string): OutgoingMail {
  const m = messages.account;
  return {
    to,
    subject: m.emailSubject(publication),
    text: m.emailText(link, publication),
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${esc(m.emailConfirmIntro(to))}</p>
<p><a href="${esc(link)}" style="display:inline-block;padding:10px 18px;background:#1a4d8f;color:#fff;border-radius:6px;text-decoration:none">${esc(m.emailConfirmButton)}</a></p>
<p style="color:#555">${esc(messages.mail.loginIgnore)}</p>
</body></html>`,
  };
}
