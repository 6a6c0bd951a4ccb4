import type { DiscussionState } from '../../src/domain/types.js';
import { widget as wm } from '../../src/messages/current/widget.js';

const m = wm;

/** Explains why this reader cannot post, and what to do about it. */
export function JoinBlock({ state, path }: { state: DiscussionState; path: string }) {
  const r = state.blockedReason;
  if (r === 'closed') return <p class="parley-notice">{m.closed}</p>;
  if (r === 'suspended') return <p class="parley-notice">{m.suspended}</p>;
  const members = state.article.policy === 'members';
  return (
    <section class="parley-join" aria-labelledby="parley-join-heading">
      <h3 id="parley-join-heading">{m.joinHeading}</h3>
      {members ? (
        <p>{m.joinMembers}</p>
      ) : (
        <>
          <p>{m.joinText}</p>
          <p>{m.joinBenefits}</p>
        </>
      )}
      <p class="parley-row">
        {members ? null : (
          <a class="parley-button parley-primary" href={`/subscribe?return=${encodeURIComponent(path)}`}>
            {m.subscribe}
          </a>
        )}
        {state.viewer ? null : (
          <a class="parley-button" href={`/signin?return=${encodeURIComponent(`${path}#comments`)}`}>
            {m.signIn}
          </a>
        )}
      </p>
    </section>
  );
}
