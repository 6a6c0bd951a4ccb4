import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** A stable Message-ID lets receivers drop a copy resent after a crash. */
  messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** Real delivery over SMTP (`smtp://user:pass@host:port`, or `smtps://` for implicit TLS). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers, messageId: m.messageId });
      return { messageId: String(info.messageId) };
    },
    close: () => transport.close(),
  };
}

/**
 * With no SMTP server configured the demo must still let people sign in offline, so mails are
 * written to the log instead. Never used when SMTP_URL is set, so links stay out of real logs.
 */
export function logMailer(log: Pick<FastifyBaseLogger, 'info'>): Mailer {
  let n = 0;
  return {
    async send(m) {
      log.info({ to: m.to, subject: m.subject }, `mail (no SMTP configured):\n${m.text}`);
      return { messageId: `log-${++n}` };
    },
    close: () => {},
  };
}
