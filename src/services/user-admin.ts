import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { Role } from '../domain/types.js';
import { inProcessBus } from '../events/bus.js';
import type { Mailer } from '../mail/mailer.js';
import { messages } from '../messages.js';
import { connect } from '../store/connect.js';
import { migrate } from '../store/migrate.js';
import { Store } from '../store/store.js';
import { Accounts, nameFromEmail } from './accounts.js';
import { systemClock, type Clock } from './clock.js';
import { DiscussionChanges } from './discussion-changes.js';
import { WebhookOutbox } from './webhooks.js';
import { Moderation } from './moderation.js';
import { ModerationRules } from './posting/settings.js';

export const EMAIL_PATTERN = /^[^\s@,;"'<>]+@[^\s@,;"'<>]+$/;

export type UserAction = { kind: 'grant'; until: Date | null } | { kind: 'revoke' } | { kind: 'role'; role: Role };

export interface UserAdminResult {
  /** One line per address, in order: what was done, or why not. */
  lines: string[];
  done: number;
  failed: number;
  seconds: number;
}

/** Splits one CSV line into cells; quoted cells may hold commas and doubled quotes. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') cells.push(cell.trim()), (cell = '');
    else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The addresses in a CSV file: the column named `email` when the first line has one (an export
 * from a newsletter tool), otherwise the first cell of every line (a plain list). Blank lines and
 * a byte-order mark are ignored; anything else that is not an address is an error, so a wrong
 * column is noticed before anyone is granted anything.
 */
export function emailsFromCsv(text: string, file = 'the CSV file'): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = csvCells(lines[0] ?? '').map((c) => c.toLowerCase());
  const column = header.findIndex((c) => c === 'email' || c === 'e-mail' || c === 'email address');
  const rows = column >= 0 ? lines.slice(1) : lines;
  const out: string[] = [];
  rows.forEach((line, i) => {
    if (!line.trim()) return;
    const value = csvCells(line)[Math.max(column, 0)] ?? '';
    if (!EMAIL_PATTERN.test(value)) {
      if (column < 0 && i === 0 && header.length > 1) throw new AppError(400, 'csv_no_email', messages.operations.csvNoEmail(file));
      throw new AppError(400, 'bad_email', messages.operations.badEmail(value, ` on line ${i + (column >= 0 ? 2 : 1)} of ${file}`));
    }
    out.push(value);
  });
  return out;
}

export function readEmailsCsv(file: string): string[] {
  return emailsFromCsv(readFileSync(file, 'utf8'), file);
}

/** The command line sends no mail: grants, revokes and roles never email anyone. */
const noMail: Mailer = {
  send: () => Promise.reject(new Error('parley users sends no mail')),
  close: () => {},
};

/**
 * `parley users grant|revoke|role`: opens the database, brings the schema up to date, and applies
 * the same account and moderation rules the server does, without starting the server, its
 * workers, the event bus connection or the content loader (which made each address take seconds).
 * All addresses go in one transaction, so a batch is applied whole; an address the rules refuse
 * (revoking someone unknown, demoting the last admin) is reported and the others still apply.
 */
export async function applyToUsers(
  config: Pick<
    Config,
    | 'DATABASE_URL'
    | 'baseUrl'
    | 'PUBLICATION_NAME'
    | 'SESSION_DAYS'
    | 'PAST_DUE_GRACE_DAYS'
    | 'REPORTS_TO_HIDE'
    | 'MAX_COMMENT_LENGTH'
    | 'WEBHOOK_URLS'
    | 'WEBHOOK_SECRET'
  >,
  emails: readonly string[],
  action: UserAction,
  clock: Clock = systemClock,
): Promise<UserAdminResult> {
  const started = performance.now();
  const unique = [...new Map(emails.map((e) => [e.toLowerCase(), e])).values()];
  const conn = connect(config.DATABASE_URL);
  try {
    await migrate(conn);
    const store = new Store(conn.db, conn.dialect);
    let done = 0;
    let failed = 0;
    const lines = await store.transaction(async (tx) => {
      const accounts = new Accounts(tx, noMail, config, clock);
      const bus = inProcessBus();
      const changes = new DiscussionChanges({ store: tx, bus, clock, webhooks: new WebhookOutbox(config) });
      const moderation = new Moderation({ store: tx, config, clock, changes, rules: new ModerationRules(tx) });
      const out: string[] = [];
      for (const email of unique) {
        try {
          if (action.kind === 'grant') {
            await accounts.grant(email, action.until);
            out.push(messages.operations.granted(email, action.until?.toISOString().slice(0, 10)));
          } else if (action.kind === 'revoke') {
            await accounts.revoke(email);
            out.push(messages.operations.revoked(email));
          } else {
            const user = await moderation.setRoleByEmail(email, action.role, nameFromEmail(email));
            out.push(messages.operations.roleSet(user.email, user.role));
          }
          done++;
        } catch (err) {
          // Only a rule's refusal, raised before that address wrote anything; a database error ends the batch.
          if (!(err instanceof AppError)) throw err;
          failed++;
          out.push(messages.operations.failed(email, err.message));
        }
      }
      await bus.close();
      return out;
    });
    return { lines, done, failed, seconds: (performance.now() - started) / 1000 };
  } finally {
    await conn.close();
  }
}
