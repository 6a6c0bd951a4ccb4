import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on localhost that keeps what it receives, for delivery tests. */
export class SmtpSink {
  readonly mails: ParsedMail[] = [];
  private waiters: (() => void)[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, done) => {
      simpleParser(stream)
        .then((mail) => {
          this.mails.push(mail);
          this.waiters.splice(0).forEach((w) => w());
          done();
        })
        .catch(done);
    },
  });
  port = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves with the first mail to `to` that arrives after `since` mails were seen. */
  async waitFor(to: string, since = 0, timeoutMs = 10_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.mails.slice(since).find((x) => x.to && JSON.stringify(x.to).toLowerCase().includes(to.toLowerCase()));
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export function signInLink(mail: ParsedMail): string {
  const m = /https?:\/\/\S+\/auth\/verify\?token=[\w-]+/.exec(mail.text ?? '');
  if (!m) throw new Error('no sign-in link in mail');
  return m[0];
}
