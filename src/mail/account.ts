import { messages } from '../messages.js';
import type { OutgoingMail } from './mailer.js';
import { linkMail } from './templates.js';

/** Sent to the new address: the change happens only when its owner opens the link. */
export function emailChangeMail(to: string, link: string, publication: string): OutgoingMail {
  const m = messages.account;
  return linkMail(to, m.emailSubject(publication), m.emailText(link, publication), m.emailConfirmIntro(to), link, m.emailConfirmButton);
}
