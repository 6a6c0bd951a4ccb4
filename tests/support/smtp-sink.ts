import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on localhost that keeps what it receives, for delivery tests. */
export class SmtpSink {
  readonly mails: ParsedMail[] = [];
  /** Mails whose sender hung up before our "250 OK": the sender cannot know they arrived. */
  readonly unacknowledged: ParsedMail[] = [];
  /** Delay the answer to the next message, to let a test kill the sender mid-delivery. */
  stallNextMs = 0;
  /** Resolves when a stalled message has been received and is waiting for its answer. */
  stalled: Promise<void> = new Promise(() => {});
  private markStalled: () => void = () => {};
  private closed = new Set<string>();
  private waiters: (() => void)[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose: (session) => {
      this.closed.add(session.id);
    },
    onData: (stream, session, done) => {
      const stall = this.stallNextMs;
      this.stallNextMs = 0;
      simpleParser(stream)
        .then(async (mail) => {
          if (stall) {
            this.markStalled();
            await new Promise((r) => setTimeout(r, stall));
            if (this.closed.has(session.id)) {
              this.unacknowledged.push(mail);
              return done(new Error('sender went away'));
            }
          }
          this.mails.push(mail);
          this.waiters.splice(0).forEach((w) => w());
          done();
        })
        .catch(done);
    },
  });

  armStall(ms: number): void {
    this.stallNextMs = ms;
    this.stalled = new Promise((r) => (this.markStalled = r));
  }
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
