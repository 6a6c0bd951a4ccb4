import type { SubscriptionState } from '../../domain/billing.js';
import { messages } from '../../messages.js';
import type { Plan } from '../../services/billing.js';
import { longDate } from './format.js';
import { MessagePage } from './MessagePage.js';

const m = messages.billing;

/** One sentence on where the reader's subscription stands. */
export function subscriptionSentence(state: SubscriptionState, timeZone: string): string {
  switch (state.kind) {
    case 'active':
      return m.stateActive(state.until ? longDate(state.until, timeZone) : null);
    case 'canceling':
      return m.stateCanceling(longDate(state.until, timeZone));
    case 'payment_failed':
      return state.access ? m.statePaymentFailed(longDate(state.graceUntil, timeZone)) : m.statePaymentLapsed;
    case 'none':
      return m.stateNone;
  }
}

/** "Manage subscription": a form, because opening the portal creates a session at Stripe. */
export function ManageForm({ csrfToken, returnTo }: { csrfToken: string | null; returnTo: string }) {
  return (
    <form method="post" action="/billing/portal" class="manage-form">
      <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <button type="submit">{m.manage}</button>
      <span class="hint">{m.manageHint}</span>
    </form>
  );
}

export interface SubscribePageProps {
  publication: string;
  timeZone: string;
  returnTo: string;
  signedIn: boolean;
  csrfToken: string | null;
  /** null when the reader is not signed in. */
  state: (SubscriptionState & { manageable: boolean }) | null;
  /** Plans on offer; empty when online checkout is not configured. */
  plans: Plan[];
  error?: string;
}

/** The plans and the reader's own state. Plain forms: it works without JavaScript. */
export function SubscribePage(p: SubscribePageProps) {
  const active = p.state?.kind === 'active';
  // A subscriber is not asked to become one: the heading follows the state line below it.
  const subscribed = p.state !== null && p.state.kind !== 'none';
  return (
    <MessagePage heading={subscribed ? m.headingSubscribed : m.heading}>
      {p.error ? (
        <p class="form-error" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.state ? (
        <p class="subscription-state" role="status">
          {subscriptionSentence(p.state, p.timeZone)}
        </p>
      ) : null}
      {p.plans.length === 0 ? (
        <p>{m.manualOnly(p.publication)}</p>
      ) : (
        <>
          {subscribed ? null : <p>{m.intro(p.publication)}</p>}
          {!p.signedIn ? (
            <p>
              {m.signInFirst}{' '}
              <a href={`/signin?return=${encodeURIComponent(`/subscribe?return=${encodeURIComponent(p.returnTo)}`)}`}>{messages.pages.signIn}</a>
            </p>
          ) : active ? null : (
            <section aria-labelledby="plans-heading" class="plans">
              <h2 id="plans-heading">{m.plans}</h2>
              {p.plans.map((plan) => (
                <form method="post" action="/subscribe/checkout" class="plan" key={plan}>
                  <input type="hidden" name="_csrf" value={p.csrfToken ?? ''} />
                  <input type="hidden" name="plan" value={plan} />
                  <input type="hidden" name="returnTo" value={p.returnTo} />
                  <button type="submit">{plan === 'monthly' ? m.subscribeMonthly : m.subscribeAnnual}</button>
                </form>
              ))}
            </section>
          )}
          {p.state?.manageable ? <ManageForm csrfToken={p.csrfToken} returnTo={`/subscribe?return=${encodeURIComponent(p.returnTo)}`} /> : null}
        </>
      )}
      <p>
        <a href={p.returnTo}>{m.back}</a>
      </p>
    </MessagePage>
  );
}
