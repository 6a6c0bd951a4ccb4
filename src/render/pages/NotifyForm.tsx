import type { FollowState } from '../../domain/types.js';
import { messages } from '../../messages.js';
import { widgetExtras } from '../../messages/current/widget-extras.js';

/**
 * "Notify of" without JavaScript (the widget draws its own once it runs): a guest asks by email
 * (double opt-in), a signed-in reader ticks what they want and saves. The two settings that are
 * the whole account's, not this article's, say so and link to where they live.
 */
export function NotifyForm({ articleId, slug, follow, csrfToken }: { articleId: number; slug: string; follow: FollowState | null; csrfToken: string | null }) {
  const w = widgetExtras.notify;
  const action = `/articles/${encodeURIComponent(slug)}/notify`;
  const article = <input type="hidden" name="article" value={String(articleId)} />;
  if (!follow)
    return (
      <form method="post" action={action} class="notify-form">
        {article}
        <label for="notify-email">{w.guestLabel}</label>
        <input id="notify-email" name="email" type="email" required maxLength={254} autocomplete="email" placeholder={w.guestPlaceholder} />
        <button type="submit">{w.guestSubmit}</button>
      </form>
    );
  return (
    <form method="post" action={action} class="notify-form">
      <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
      {article}
      <fieldset>
        <legend>{w.legend}</legend>
        <label class="check">
          <input type="checkbox" name="follow" value="yes" checked={follow.article} /> {w.article}
        </label>
        <label class="check">
          <input type="checkbox" name="replies" value="yes" checked={follow.replies} /> {w.replies}
        </label>
        <label class="check">
          <input type="checkbox" name="digest" value="daily" checked={follow.digest === 'daily'} /> {w.digest}
        </label>
        <p class="hint">
          {w.accountWide} <a href="/account#notifications">{w.accountLink}</a>
        </p>
      </fieldset>
      <button type="submit">{messages.notify.save}</button>
    </form>
  );
}
