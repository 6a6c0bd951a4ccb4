/*
 * Metered reading: a non-subscriber reads a few whole articles a calendar month, then the
 * start of each further one with a subscribe prompt. Pure: the caller says what is known about
 * the reader and what they have read; this decides and says whether the read must be counted.
 */

export interface MeterInput {
  subscriber: boolean;
  staff: boolean;
  /** A search engine's crawler by its user agent. */
  crawler: boolean;
  /** The publisher's choice: give crawlers the whole text (they are never counted). */
  crawlersFullText: boolean;
  /** Whole articles a month for non-subscribers. */
  freePerMonth: number;
  /** Distinct articles this reader has already been counted for this month. */
  readThisMonth: number;
  /** Whether this article is one of them: reading it again costs nothing. */
  alreadyCounted: boolean;
}

export type MeterDecision =
  | { full: true; count: boolean; reason: 'subscriber' | 'crawler' | 'reread' | 'free'; remaining: number | null }
  | { full: false; count: false; reason: 'crawler' | 'exhausted'; remaining: 0 };

export function meterDecision(i: MeterInput): MeterDecision {
  if (i.subscriber || i.staff) return { full: true, count: false, reason: 'subscriber', remaining: null };
  // A crawler keeps no cookies, so metering it would hand out every article as a "first" read.
  if (i.crawler)
    return i.crawlersFullText
      ? { full: true, count: false, reason: 'crawler', remaining: null }
      : { full: false, count: false, reason: 'crawler', remaining: 0 };
  const left = Math.max(0, i.freePerMonth - i.readThisMonth);
  if (i.alreadyCounted) return { full: true, count: false, reason: 'reread', remaining: left };
  if (left > 0) return { full: true, count: true, reason: 'free', remaining: left - 1 };
  return { full: false, count: false, reason: 'exhausted', remaining: 0 };
}

const monthFormats = new Map<string, { format: Intl.DateTimeFormat; minute: number; key: string }>();

/** 'YYYY-MM' of `now` in the publication's time zone: the meter's calendar month. */
export function monthKey(now: Date, timeZone: string): string {
  let f = monthFormats.get(timeZone);
  if (!f) {
    f = { format: new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }), minute: Number.NaN, key: '' };
    monthFormats.set(timeZone, f);
  }
  // Every guest's page asks, and formatting parts is slow: no zone changes month within a minute.
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== f.minute) {
    const parts = Object.fromEntries(f.format.formatToParts(now).map((p) => [p.type, p.value]));
    f.minute = minute;
    f.key = `${parts.year}-${parts.month}`;
  }
  return f.key;
}

// The major engines' documented user-agent tokens. Anyone can claim to be Googlebot, which is
// why crawlers only get the full text when the publisher opts in.
const CRAWLER =
  /Googlebot|Google-InspectionTool|Storebot-Google|AdsBot-Google|bingbot|BingPreview|DuckDuckBot|Slurp|Baiduspider|YandexBot|Applebot|Qwantbot|SeznamBot|Ecosia|PetalBot/i;

export function isCrawler(userAgent: string | undefined): boolean {
  return userAgent !== undefined && CRAWLER.test(userAgent);
}
