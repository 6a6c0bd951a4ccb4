import { relativeTime } from '../../src/domain/time.js';
import { widget as wm } from '../../src/messages/widget.js';
import { useWidget } from './context.js';

/** `2 days ago`, with the exact time for machines and on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const { now } = useWidget();
  const date = new Date(iso);
  const exact = date.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
  return (
    <time datetime={iso} title={exact}>
      {relativeTime(date, now, 'en', wm.justNow)}
    </time>
  );
}
