import { relativeTime } from '../../src/domain/time.js';
import { widget as wm } from '../../src/messages/current/widget.js';
import { useWidget } from './context.js';

// One per language and time zone: toLocaleString builds a formatter per call (0.3 ms, most of a server render of a long thread).
const formats: Record<string, Intl.DateTimeFormat> = {};

/** `2 days ago`, with the exact time in the publication's time zone (named by the long time style) for machines and on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const { now, state } = useWidget();
  const date = new Date(iso);
  const tz = state.timeZone;
  const key = wm.intl + tz;
  return (
    <time datetime={iso} title={(formats[key] ??= new Intl.DateTimeFormat(wm.intl, { dateStyle: 'long', timeStyle: 'long', timeZone: tz })).format(date)}>
      {relativeTime(date, now, wm.intl, wm.justNow)}
    </time>
  );
}
