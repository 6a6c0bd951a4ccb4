/*
 * Date wording for comment and article pages. Pure: the caller passes `now`, which keeps
 * server and browser renders identical for the same instant and makes tests exact.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Below this the exact number of seconds is noise, and clock skew between the reader's
// machine and the server would otherwise show "in 3 seconds" for a comment just posted.
const JUST_NOW_MS = 45 * SECOND;

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let f = relativeFormats.get(locale);
  if (!f) {
    // 'always' rather than 'auto' so the wording is "1 day ago", not "yesterday", which
    // would wrongly suggest a calendar day when we only measure elapsed time.
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' });
    relativeFormats.set(locale, f);
  }
  return f;
}

// Calendar months between two instants (earlier first), counted in UTC so the answer
// does not depend on the server's zone. A month only counts once its day and time of
// day have been reached, so Jan 31 -> Feb 28 is still 0 months.
function wholeMonthsBetween(earlier: Date, later: Date): number {
  let months = (later.getUTCFullYear() - earlier.getUTCFullYear()) * 12 + (later.getUTCMonth() - earlier.getUTCMonth());
  const laterInMonth = later.getTime() - Date.UTC(later.getUTCFullYear(), later.getUTCMonth());
  const earlierInMonth = earlier.getTime() - Date.UTC(earlier.getUTCFullYear(), earlier.getUTCMonth());
  if (laterInMonth < earlierInMonth) months--;
  return Math.max(0, months);
}

/**
 * "just now", "2 minutes ago", "17 hours ago", "1 day ago", "3 weeks ago", "2 months ago",
 * "1 year ago". Counts are floored, so a comment is "1 hour ago" until a full two hours
 * have passed. Dates in the future read "in 5 minutes" rather than being hidden.
 * `justNow` is passed in because Intl has no wording for "less than a minute".
 */
export function relativeTime(date: Date, now: Date, locale = 'en', justNow = 'just now'): string {
  const diff = date.getTime() - now.getTime();
  if (!Number.isFinite(diff)) return '';
  const elapsed = Math.abs(diff);
  if (elapsed < JUST_NOW_MS) return justNow;

  const sign = diff < 0 ? -1 : 1;
  const fmt = relativeFormat(locale);
  if (elapsed < HOUR) return fmt.format(sign * Math.max(1, Math.floor(elapsed / MINUTE)), 'minute');
  if (elapsed < DAY) return fmt.format(sign * Math.floor(elapsed / HOUR), 'hour');

  const days = Math.floor(elapsed / DAY);
  const [earlier, later] = diff < 0 ? [date, now] : [now, date];
  const months = wholeMonthsBetween(earlier, later);
  if (months >= 12) return fmt.format(sign * Math.floor(months / 12), 'year');
  if (months >= 1) return fmt.format(sign * months, 'month');
  if (days >= 7) return fmt.format(sign * Math.floor(days / 7), 'week');
  return fmt.format(sign * days, 'day');
}

function localDateTime(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `local\u0000${locale}\u0000${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long', timeStyle: 'short' });
    dateFormats.set(key, f);
  }
  return f;
}

function dateFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      // h12, not the locale default, so noon and midnight read 12, never 0.
      hourCycle: 'h12',
    });
    dateFormats.set(key, f);
  }
  return f;
}

/**
 * "November 10, 2024 - 5:00pm" in the publication's time zone. In English the shape is fixed by
 * the page design; other languages write the date and time their own way ("10. November 2024 um
 * 17:00").
 */
// An article's date is formatted on every view of it; the same few articles are viewed most.
const formattedDates = new Map<string, string>();

export function formatArticleDate(date: Date, timeZone: string, locale = 'en-US'): string {
  const key = `${date.getTime()}|${timeZone}|${locale}`;
  let text = formattedDates.get(key);
  if (text === undefined) {
    text = formatDate(date, timeZone, locale);
    if (formattedDates.size >= 1000) formattedDates.delete(formattedDates.keys().next().value!);
    formattedDates.set(key, text);
  }
  return text;
}

function formatDate(date: Date, timeZone: string, locale: string): string {
  if (!locale.startsWith('en')) return localDateTime(locale, timeZone).format(date);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of dateFormat(locale, timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = part.value;
  }
  const period = parts.dayPeriod ? parts.dayPeriod.toLocaleLowerCase(locale).replace(/\s+/gu, '') : '';
  return `${parts.month} ${parts.day}, ${parts.year} - ${parts.hour}:${parts.minute}${period}`;
}
