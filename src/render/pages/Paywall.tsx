import { messages } from '../../messages.js';

export interface PaywallInfo {
  /** Free whole articles a month (0: subscribers only). */
  allowance: number;
  signedIn: boolean;
  /** The article's path, to come back to after subscribing or signing in. */
  returnPath: string;
}

/** Shown where a metered article's text stops. Plain links: it works without JavaScript. */
export function Paywall({ allowance, signedIn, returnPath }: PaywallInfo) {
  const m = messages.meter;
  const back = encodeURIComponent(returnPath);
  return (
    <section class="paywall" aria-labelledby="paywall-heading">
      <h2 id="paywall-heading">{m.heading}</h2>
      <p>{m.exhausted(allowance)}</p>
      <p>{m.pitch}</p>
      <p class="paywall-actions">
        <a class="button" href={`/subscribe?return=${back}`}>
          {m.subscribe}
        </a>
        {signedIn ? null : (
          <span>
            {m.signInHint} <a href={`/signin?return=${back}`}>{m.signIn}</a>
          </span>
        )}
      </p>
      <p class="paywall-note">{m.discussionStaysOpen}</p>
    </section>
  );
}
