import { useEffect, useRef } from 'preact/hooks';
import type { DiscussionState } from '../../src/domain/types.js';
import { widgetExtras } from '../../src/messages/current/widget-extras.js';
import type { widget as Labels } from '../../src/messages/current/widget.js';

/**
 * The subscribe prompt for readers who tried to vote or reply. A native modal <dialog> traps
 * focus and closes on Escape; on close, focus goes back to what opened it. Its text repeats
 * JoinBlock's markup on purpose: importing JoinBlock would pull it out of the first download into a
 * shared chunk and cost more bytes than these few lines.
 */
export function SubscribeDialog({
  state,
  path,
  opener,
  onClose,
  wm,
}: {
  state: DiscussionState;
  path: string;
  opener: HTMLElement | null;
  onClose(): void;
  wm: typeof Labels;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (opener && !d.open) d.showModal();
    if (!opener && d.open) d.close();
  }, [opener]);
  const members = state.article.policy === 'members';
  return (
    <dialog
      ref={ref}
      class="parley-dialog"
      aria-labelledby="parley-dialog-heading"
      onClose={() => {
        onClose();
        opener?.focus();
      }}
    >
      <form method="dialog" class="parley-dialog-close">
        <button type="submit" aria-label={widgetExtras.dialogClose}>
          <span aria-hidden="true">✕</span> {widgetExtras.dialogClose}
        </button>
      </form>
      <h2 id="parley-dialog-heading">{wm.joinHeading}</h2>
      <p>{members ? wm.joinMembers : wm.joinText}</p>
      {members ? null : <p>{wm.joinBenefits}</p>}
      <p class="parley-row">
        {members ? null : (
          <a class="parley-button parley-primary" href={`/subscribe?return=${encodeURIComponent(path)}`}>
            {wm.subscribe}
          </a>
        )}
        {state.viewer ? null : (
          <a class="parley-button" href={`/signin?return=${encodeURIComponent(`${path}#comments`)}`}>
            {wm.signIn}
          </a>
        )}
      </p>
    </dialog>
  );
}
