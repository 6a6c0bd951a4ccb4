import { messages } from '../../messages.js';
import { MessagePage } from './MessagePage.js';

/** Works without JavaScript: a plain form posted to the server. */
// A signed-in reader may use these forms too (to switch accounts), and their posts carry the session's CSRF token.
export function SignInPage({ returnTo, error, csrfToken = null }: { returnTo: string; error?: string; csrfToken?: string | null }) {
  const m = messages.pages;
  return (
    <MessagePage heading={m.signInHeading}>
      <p>{m.signInIntro}</p>
      {error ? (
        <p class="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action="/signin" class="signin-form">
        <label for="signin-email">{m.emailLabel}</label>
        <input id="signin-email" name="email" type="email" autocomplete="email" required maxLength={254} />
        <input type="hidden" name="returnTo" value={returnTo} />
        {csrfToken ? <input type="hidden" name="_csrf" value={csrfToken} /> : null}
        <button type="submit">{m.sendLink}</button>
      </form>
    </MessagePage>
  );
}

export function VerifyPage({ token, csrfToken = null }: { token: string; csrfToken?: string | null }) {
  const m = messages.pages;
  return (
    <MessagePage heading={m.verifyHeading}>
      <p>{m.verifyIntro}</p>
      <form method="post" action="/auth/verify">
        <input type="hidden" name="token" value={token} />
        {csrfToken ? <input type="hidden" name="_csrf" value={csrfToken} /> : null}
        <button type="submit">{m.verifyButton}</button>
      </form>
    </MessagePage>
  );
}
