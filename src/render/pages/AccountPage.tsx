import type { SubscriptionState } from '../../domain/billing.js';
import { avatarHue, initials } from '../../domain/avatar.js';
import type { User } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { MessagePage } from './MessagePage.js';
import { ManageForm, subscriptionSentence } from './SubscribePage.js';

const m = messages.account;

/**
 * Initials on a coloured disc. SVG presentation attributes carry the colour, so the page's
 * Content-Security-Policy (no inline styles) still holds.
 */
export function Avatar({ user, size = 64 }: { user: Pick<User, 'id' | 'displayName'>; size?: number }) {
  const text = initials(user.displayName);
  return (
    <svg class="avatar" width={size} height={size} viewBox="0 0 64 64" role="img" aria-label={m.avatarLabel(text)}>
      <circle cx="32" cy="32" r="32" fill={`hsl(${avatarHue(String(user.id))} 45% 38%)`} />
      <text x="32" y="32" dy=".35em" text-anchor="middle" font-size="26" font-family="system-ui, sans-serif" fill="#fff">
        {text}
      </text>
    </svg>
  );
}

export interface AccountPageProps {
  user: User;
  csrfToken: string | null;
  state: SubscriptionState & { manageable: boolean };
  timeZone: string;
  /** Readers this one muted, most recent first. */
  muted?: { userId: number; name: string }[];
  /** The account-wide notification settings (which articles they follow is chosen under each article). */
  notify?: { replies: boolean; digest: 'instant' | 'daily' };
  notice?: string;
  error?: string;
}

/** Profile, email, subscription, sessions, export and deletion: plain forms that work without JavaScript. */
export function AccountPage({ user, csrfToken, state, timeZone, muted = [], notify, notice, error }: AccountPageProps) {
  const csrf = <input type="hidden" name="_csrf" value={csrfToken ?? ''} />;
  return (
    <MessagePage heading={m.heading}>
      {notice ? (
        <p class="form-notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="form-error" role="alert">
          {error}
        </p>
      ) : null}

      <section aria-labelledby="profile-heading" class="account-section">
        <h2 id="profile-heading">{m.profile}</h2>
        <Avatar user={user} />
        <form method="post" action="/account/name">
          {csrf}
          <label for="account-name">{m.displayName}</label>
          <input
            id="account-name"
            name="displayName"
            type="text"
            required
            maxLength={60}
            value={user.displayName}
            autocomplete="nickname"
            aria-describedby="account-name-hint"
          />
          <span id="account-name-hint" class="hint">
            {m.displayNameHint}
          </span>
          <button type="submit">{m.saveName}</button>
        </form>
      </section>

      <section aria-labelledby="email-heading" class="account-section">
        <h2 id="email-heading">{m.email}</h2>
        <p>{m.emailCurrent(user.email)}</p>
        <form method="post" action="/account/email">
          {csrf}
          <label for="account-email">{m.newEmail}</label>
          <input id="account-email" name="email" type="email" required maxLength={254} autocomplete="email" />
          <button type="submit">{m.changeEmail}</button>
        </form>
      </section>

      <section aria-labelledby="subscription-heading" class="account-section">
        <h2 id="subscription-heading">{m.subscription}</h2>
        <p>{subscriptionSentence(state, timeZone)}</p>
        {state.manageable ? (
          <ManageForm csrfToken={csrfToken} returnTo="/account" />
        ) : state.kind === 'none' ? (
          <p>
            <a href="/subscribe?return=%2Faccount">{messages.meter.subscribe}</a>
          </p>
        ) : null}
      </section>

      {notify ? (
        <section id="notifications" aria-labelledby="notifications-heading" class="account-section">
          <h2 id="notifications-heading">{m.notificationsHeading}</h2>
          <p id="notifications-hint">{m.notificationsHint}</p>
          <form method="post" action="/account/notifications" aria-describedby="notifications-hint">
            {csrf}
            <label class="check">
              <input type="checkbox" name="replies" value="yes" checked={notify.replies} /> {m.notifyReplies}
            </label>
            <fieldset>
              <legend>{m.notifyDigest}</legend>
              <label class="check">
                <input type="radio" name="digest" value="instant" checked={notify.digest === 'instant'} /> {m.notifyInstant}
              </label>
              <label class="check">
                <input type="radio" name="digest" value="daily" checked={notify.digest === 'daily'} /> {m.notifyDaily}
              </label>
            </fieldset>
            <button type="submit">{m.notificationsSave}</button>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="sessions-heading" class="account-section">
        <h2 id="sessions-heading">{m.sessions}</h2>
        <form method="post" action="/account/signout-everywhere">
          {csrf}
          <span class="hint">{m.signOutEverywhereHint}</span>
          <button type="submit">{m.signOutEverywhere}</button>
        </form>
      </section>

      <section aria-labelledby="mutes-heading" class="account-section">
        <h2 id="mutes-heading">{m.mutesHeading}</h2>
        <p>{m.mutesHint}</p>
        {muted.length === 0 ? (
          <p>{m.mutesNone}</p>
        ) : (
          <ul class="mutes">
            {muted.map((r) => (
              <li key={r.userId}>
                <form method="post" action="/account/unmute">
                  {csrf}
                  <input type="hidden" name="userId" value={String(r.userId)} />
                  <span>{r.name}</span>{' '}
                  <button type="submit" aria-label={m.unmuteLabel(r.name)}>
                    {m.unmute}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="export-heading" class="account-section">
        <h2 id="export-heading">{m.exportHeading}</h2>
        <p>{m.exportHint}</p>
        <p>
          <a href="/account/export" download="account.json">
            {m.exportButton}
          </a>
        </p>
      </section>

      <section aria-labelledby="delete-heading" class="account-section">
        <h2 id="delete-heading">{m.deleteHeading}</h2>
        <p>{m.deleteHint}</p>
        <form method="post" action="/account/delete">
          {csrf}
          <label class="check">
            <input type="checkbox" name="confirm" value="yes" required /> {m.deleteConfirm}
          </label>
          <label class="check">
            <input type="checkbox" name="eraseComments" value="yes" /> {m.deleteErase}
          </label>
          <button type="submit" class="danger">
            {m.deleteButton}
          </button>
        </form>
      </section>
    </MessagePage>
  );
}

export function EmailConfirmPage({ token, csrfToken }: { token: string; csrfToken: string | null }) {
  return (
    <MessagePage heading={m.emailConfirmHeading}>
      <form method="post" action="/account/email/confirm">
        <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
        <input type="hidden" name="token" value={token} />
        <button type="submit">{m.emailConfirmButton}</button>
      </form>
    </MessagePage>
  );
}
