import { relativeTime } from '../../src/domain/time.js';
import { widget as wm } from '../../src/messages/widget.js';
import { useWidget } from './context.js';

// Made once: toLocaleString builds a formatter per call (0.3 ms, most of a server render of a long thread).
const exactFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** `2 days ago`, with the exact time for machines and on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const { now } = useWidget();
  const date = new Date(iso);
  const exact = exactFormat.format(date) + ' UTC';
  return (
    <time datetime={iso} title={exact}>
      {relativeTime(date, now, 'en', wm.justNow)}
    </time>
  );
}
