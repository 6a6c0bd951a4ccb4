import { describe, expect, it } from 'vitest';
import { check, denialError, keepsAnAdmin, participationBlock, type Action, type Actor, type Subjects } from '../../src/domain/permissions.js';
import type { CommentPolicy, Role, User } from '../../src/domain/types.js';

const now = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const later = new Date(now.getTime() + 24 * HOUR);
const earlier = new Date(now.getTime() - HOUR);

const user = (id: number, over: Partial<User> = {}): User => ({
  id,
  email: `u${id}@example.com`,
  displayName: `U${id}`,
  role: 'reader',
  createdAt: new Date('2026-01-01'),
  suspendedUntil: null,
  banned: false,
  ...over,
});
const actor = (u: User, subscriber: boolean): Actor => ({ user: u, subscriber, subscriberUntil: null });

/** The columns of the table: who asks. Staff have no subscription, to show they need none. */
const ACTORS: Record<string, Actor | null> = {
  guest: null,
  member: actor(user(1), false),
  subscriber: actor(user(2), true),
  'suspended sub': actor(user(3, { suspendedUntil: later }), true),
  'banned sub': actor(user(4, { banned: true }), true),
  moderator: actor(user(5, { role: 'moderator' }), false),
  'suspended mod': actor(user(6, { role: 'moderator', suspendedUntil: later }), false),
  'banned mod': actor(user(7, { role: 'moderator', banned: true }), false),
  admin: actor(user(8, { role: 'admin' }), false),
  'banned admin': actor(user(9, { role: 'admin', banned: true }), false),
};

/** Another reader, and what they wrote: the "any" rows act on them. */
const OTHER = user(99);
const fresh = (authorId: number) => ({ authorId, createdAt: new Date(now.getTime() - 5 * 60_000), status: 'visible' as const });
const WINDOW = 15;

type Row = { [A in Action]: { action: A; subject: (a: Actor | null) => Subjects[A] } }[Action];
const ROWS: Record<string, Row> = {
  post: { action: 'post', subject: () => ({ policy: 'subscribers' }) },
  reply: { action: 'reply', subject: () => ({ policy: 'subscribers' }) },
  'edit own': { action: 'edit', subject: (a) => ({ comment: fresh(a?.user.id ?? -1), editWindowMinutes: WINDOW }) },
  'edit any': { action: 'edit', subject: () => ({ comment: fresh(OTHER.id), editWindowMinutes: WINDOW }) },
  'delete own': { action: 'delete', subject: (a) => ({ comment: fresh(a?.user.id ?? -1) }) },
  'delete any': { action: 'delete', subject: () => ({ comment: fresh(OTHER.id) }) },
  vote: { action: 'vote', subject: () => ({ policy: 'subscribers', comment: fresh(OTHER.id) }) },
  report: { action: 'report', subject: () => ({ comment: fresh(OTHER.id) }) },
  moderate: { action: 'moderate', subject: () => ({}) },
  'view queue': { action: 'view_queue', subject: () => ({}) },
  suspend: { action: 'suspend', subject: () => ({ user: OTHER }) },
  ban: { action: 'ban', subject: () => ({ user: OTHER }) },
  'set role': { action: 'set_role', subject: () => ({ user: OTHER, role: 'moderator', activeAdmins: 1 }) },
  'view audit': { action: 'view_audit', subject: () => ({}) },
  'change settings': { action: 'change_settings', subject: () => ({}) },
};

/**
 * Every action against every kind of actor, under an article open to subscribers. `own` is the
 * actor's visible comment inside the edit window; `any` another reader's comment or account.
 * Cells are the denial codes of domain/permissions.ts; `unauth` is 'unauthenticated'. Keep it in
 * step with the table at the top of that file.
 */
const MATRIX = `
                | guest  | member           | subscriber       | suspended sub | banned sub    | moderator | suspended mod | banned mod | admin | banned admin
post            | signin | subscribe        | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
reply           | signin | subscribe        | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
edit own        | unauth | ok               | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
edit any        | unauth | edit_forbidden   | edit_forbidden   | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
delete own      | unauth | ok               | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
delete any      | unauth | delete_forbidden | delete_forbidden | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
vote            | signin | subscribe        | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
report          | unauth | ok               | ok               | suspended     | suspended     | ok        | suspended     | suspended  | ok    | suspended
moderate        | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
view queue      | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
suspend         | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
ban             | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | ok        | suspended     | suspended  | ok    | suspended
set role        | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | not_admin | not_admin     | not_admin  | ok    | suspended
view audit      | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | not_admin | not_admin     | not_admin  | ok    | suspended
change settings | unauth | not_moderator    | not_moderator    | not_moderator | not_moderator | not_admin | not_admin     | not_admin  | ok    | suspended
`;

const cells = (line: string) => line.split('|').map((c) => c.trim());
const expand = (cell: string) => (cell === 'ok' ? null : cell === 'unauth' ? 'unauthenticated' : cell);

/** Parses a table whose first line names the columns and whose first column names the rows. */
function table(text: string): { columns: string[]; rows: [string, (string | null)[]][] } {
  const [head, ...body] = text.trim().split('\n');
  const columns = cells(head!).slice(1);
  return { columns, rows: body.map((l) => cells(l)).map(([name, ...rest]) => [name!, rest.map(expand)]) };
}

describe('the permission matrix', () => {
  const { columns, rows } = table(MATRIX);

  it('covers every action and every kind of actor', () => {
    expect(columns).toEqual(Object.keys(ACTORS));
    expect(rows.map(([r]) => r)).toEqual(Object.keys(ROWS));
    const actions = new Set(Object.values(ROWS).map((r) => r.action));
    for (const a of [
      'post',
      'reply',
      'edit',
      'delete',
      'vote',
      'report',
      'moderate',
      'view_queue',
      'suspend',
      'ban',
      'set_role',
      'view_audit',
      'change_settings',
    ] satisfies Action[]) {
      expect(actions.has(a), a).toBe(true);
    }
  });

  for (const [rowName, expected] of rows) {
    it(`${rowName}: ${columns.map((c, i) => `${c}=${expected[i] ?? 'ok'}`).join(', ')}`, () => {
      const row = ROWS[rowName]!;
      const got = columns.map((col) => {
        const a = ACTORS[col]!;
        return check(a, row.action, (row.subject as (a: Actor | null) => never)(a), now);
      });
      expect(got).toEqual(expected);
    });
  }
});

describe('who an account action may touch', () => {
  // Suspend and ban (and lifting them) follow one rule; rows are the actor, columns the target.
  const TARGETS = `
            | self        | reader | moderator | admin
  moderator | self_action | ok     | not_admin | not_admin
  admin     | self_action | ok     | ok        | ok
  `;
  const { columns, rows } = table(TARGETS);
  const target = (col: string, self: Actor): User => (col === 'self' ? self.user : user(50, { role: col as Role }));
  for (const [who, expected] of rows) {
    it(`${who} on ${columns.join(', ')}`, () => {
      const a = ACTORS[who]!;
      for (const action of ['suspend', 'ban'] as const) {
        expect(
          columns.map((col) => check(a, action, { user: target(col, a) }, now)),
          action,
        ).toEqual(expected);
      }
    });
  }
});

describe('changing roles', () => {
  const admin = ACTORS.admin!;
  const otherAdmin = user(60, { role: 'admin' });
  const cases: [string, Actor | null, User, Role, number, string | null][] = [
    // what                                   actor                  target                              to           admins  answer
    ['an admin promotes a reader', admin, OTHER, 'admin', 1, null],
    ['an admin demotes another admin', admin, otherAdmin, 'reader', 2, null],
    ['an admin demotes themselves while another admin remains', admin, admin.user, 'moderator', 2, 'self_action'],
    ['the last admin demotes themselves', admin, admin.user, 'reader', 1, 'last_admin'],
    ['an admin "sets" their own role to admin (nothing changes)', admin, admin.user, 'admin', 1, null],
    ['an admin demotes a banned admin while they are the only active one', admin, user(61, { role: 'admin', banned: true }), 'reader', 1, null],
    ['a moderator promotes a reader', ACTORS.moderator!, OTHER, 'moderator', 1, 'not_admin'],
    ['a moderator promotes themselves', ACTORS.moderator!, ACTORS.moderator!.user, 'admin', 1, 'not_admin'],
    ['a reader promotes themselves', ACTORS.subscriber!, ACTORS.subscriber!.user, 'admin', 1, 'not_moderator'],
    ['a banned admin promotes a reader', ACTORS['banned admin']!, OTHER, 'moderator', 1, 'suspended'],
    ['a guest', null, OTHER, 'admin', 1, 'unauthenticated'],
  ];
  for (const [what, a, target, role, admins, answer] of cases) {
    it(`${what}: ${answer ?? 'ok'}`, () => {
      expect(check(a, 'set_role', { user: target, role, activeAdmins: admins }, now)).toBe(answer);
    });
  }
  it('keeps the last admin from the command line too, which has no actor', () => {
    expect(keepsAnAdmin({ role: 'admin', banned: false }, 'reader', 1)).toBe('last_admin');
    expect(keepsAnAdmin({ role: 'admin', banned: false }, 'reader', 2)).toBeNull();
    expect(keepsAnAdmin({ role: 'admin', banned: false }, 'admin', 1)).toBeNull();
    expect(keepsAnAdmin({ role: 'reader', banned: false }, 'admin', 0)).toBeNull();
  });
});

describe('what the comment and the article add', () => {
  const member = ACTORS.member!;
  const subscriber = ACTORS.subscriber!;
  const moderator = ACTORS.moderator!;

  it('lets members take part under members articles, and only staff under closed ones', () => {
    const policies: CommentPolicy[] = ['subscribers', 'members', 'closed'];
    const answers = (a: Actor | null) => policies.map((p) => participationBlock(a, p, now));
    expect(answers(null)).toEqual(['signin', 'signin', 'closed']);
    expect(answers(member)).toEqual(['subscribe', null, 'closed']);
    expect(answers(subscriber)).toEqual([null, null, 'closed']);
    expect(answers(moderator)).toEqual([null, null, null]);
    expect(answers(ACTORS['banned mod']!)).toEqual(['suspended', 'suspended', 'suspended']);
  });

  it('gives everything back when a suspension has run out', () => {
    const back = actor(user(3, { suspendedUntil: earlier }), true);
    expect(check(back, 'post', { policy: 'subscribers' }, now)).toBeNull();
    const mod = actor(user(6, { role: 'moderator', suspendedUntil: earlier }), false);
    expect(check(mod, 'delete', { comment: fresh(OTHER.id) }, now)).toBeNull();
    expect(check(mod, 'moderate', {}, now)).toBeNull();
  });

  it('closes the edit window for authors, not for staff', () => {
    const old = { ...fresh(member.user.id), createdAt: new Date(now.getTime() - (WINDOW + 1) * 60_000) };
    expect(check(member, 'edit', { comment: old, editWindowMinutes: WINDOW }, now)).toBe('edit_forbidden');
    expect(check(moderator, 'edit', { comment: old, editWindowMinutes: WINDOW }, now)).toBeNull();
    // Deleting one's own words has no window.
    expect(check(member, 'delete', { comment: old }, now)).toBeNull();
  });

  it('leaves deleted comments alone, whoever asks', () => {
    const gone = { ...fresh(member.user.id), status: 'deleted' as const };
    for (const a of [member, moderator, ACTORS.admin!]) {
      expect(check(a, 'edit', { comment: gone, editWindowMinutes: WINDOW }, now)).toBe('edit_forbidden');
      expect(check(a, 'delete', { comment: gone }, now)).toBe('delete_forbidden');
    }
  });

  it('refuses votes and reports on your own or unpublished comments', () => {
    const own = fresh(subscriber.user.id);
    const held = { ...fresh(OTHER.id), status: 'pending' as const };
    expect(check(subscriber, 'vote', { policy: 'subscribers', comment: own }, now)).toBe('own_comment');
    expect(check(subscriber, 'vote', { policy: 'subscribers', comment: held }, now)).toBe('not_votable');
    expect(check(subscriber, 'report', { comment: own }, now)).toBe('report_own');
    expect(check(subscriber, 'report', { comment: held }, now)).toBe('not_reportable');
  });
});

describe('denial errors', () => {
  it('answers 401 for a missing sign-in, 409 for a state that may change, 403 otherwise', () => {
    const answers = Object.fromEntries(
      (
        ['signin', 'unauthenticated', 'last_admin', 'not_reportable', 'suspended', 'not_moderator', 'not_admin', 'self_action', 'delete_forbidden'] as const
      ).map((d) => {
        const e = denialError(d);
        return [d, `${e.status} ${e.code}`];
      }),
    );
    expect(answers).toEqual({
      signin: '401 unauthenticated',
      unauthenticated: '401 unauthenticated',
      last_admin: '409 last_admin',
      not_reportable: '409 not_reportable',
      suspended: '403 suspended',
      not_moderator: '403 not_moderator',
      not_admin: '403 not_admin',
      self_action: '403 self_action',
      delete_forbidden: '403 delete_forbidden',
    });
  });
});
