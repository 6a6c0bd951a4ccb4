import { describe, it, expect } from 'vitest';
import { formatArticleDate, relativeTime } from '../../src/domain/time.js';

const now = new Date('2024-11-12T12:00:00Z');
const before = (ms: number): Date => new Date(now.getTime() - ms);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('relativeTime', () => {
  it('says "just now" under 45 seconds, in either direction', () => {
    expect(relativeTime(now, now)).toBe('just now');
    expect(relativeTime(before(44 * S), now)).toBe('just now');
    expect(relativeTime(new Date(now.getTime() + 30 * S), now)).toBe('just now');
  });

  it('uses the caller-supplied word for "just now"', () => {
    expect(relativeTime(before(5 * S), now, 'de', 'gerade eben')).toBe('gerade eben');
  });

  it('counts whole minutes and hours', () => {
    expect(relativeTime(before(45 * S), now)).toBe('1 minute ago');
    expect(relativeTime(before(2 * M + 59 * S), now)).toBe('2 minutes ago');
    expect(relativeTime(before(59 * M), now)).toBe('59 minutes ago');
    expect(relativeTime(before(H), now)).toBe('1 hour ago');
    expect(relativeTime(before(17 * H + 40 * M), now)).toBe('17 hours ago');
    expect(relativeTime(before(23 * H + 59 * M), now)).toBe('23 hours ago');
  });

  it('says "1 day ago" rather than "yesterday"', () => {
    expect(relativeTime(before(D), now)).toBe('1 day ago');
    expect(relativeTime(before(2 * D + 5 * H), now)).toBe('2 days ago');
    expect(relativeTime(before(6 * D), now)).toBe('6 days ago');
  });

  it('switches to weeks, then calendar months, then years', () => {
    expect(relativeTime(before(7 * D), now)).toBe('1 week ago');
    expect(relativeTime(before(21 * D), now)).toBe('3 weeks ago');
    expect(relativeTime(new Date('2024-10-13T12:00:00Z'), now)).toBe('4 weeks ago');
    expect(relativeTime(new Date('2024-10-12T12:00:00Z'), now)).toBe('1 month ago');
    expect(relativeTime(new Date('2024-09-01T00:00:00Z'), now)).toBe('2 months ago');
    expect(relativeTime(new Date('2023-11-13T00:00:00Z'), now)).toBe('11 months ago');
    expect(relativeTime(new Date('2023-11-12T12:00:00Z'), now)).toBe('1 year ago');
    expect(relativeTime(new Date('2021-01-01T00:00:00Z'), now)).toBe('3 years ago');
  });

  it('does not count a month before its day is reached', () => {
    const jan31 = new Date('2024-01-31T10:00:00Z');
    expect(relativeTime(jan31, new Date('2024-02-29T10:00:00Z'))).toBe('4 weeks ago');
    expect(relativeTime(jan31, new Date('2024-03-01T10:00:00Z'))).toBe('1 month ago');
  });

  it('words future dates as future', () => {
    expect(relativeTime(new Date(now.getTime() + 5 * M), now)).toBe('in 5 minutes');
    expect(relativeTime(new Date(now.getTime() + 3 * D), now)).toBe('in 3 days');
  });

  it('follows the locale', () => {
    expect(relativeTime(before(2 * M), now, 'de')).toBe('vor 2 Minuten');
    expect(relativeTime(before(D), now, 'fr')).toBe('il y a 1 jour');
  });
});

describe('formatArticleDate', () => {
  it('formats in the publication time zone like the reference page', () => {
    expect(formatArticleDate(new Date('2024-11-10T22:00:00Z'), 'America/New_York')).toBe('November 10, 2024 - 5:00pm');
  });

  it('pads minutes but not hours', () => {
    expect(formatArticleDate(new Date('2024-03-05T09:05:00Z'), 'UTC')).toBe('March 5, 2024 - 9:05am');
  });

  it('shows noon and midnight as 12', () => {
    expect(formatArticleDate(new Date('2024-07-01T12:00:00Z'), 'UTC')).toBe('July 1, 2024 - 12:00pm');
    expect(formatArticleDate(new Date('2024-07-01T00:30:00Z'), 'UTC')).toBe('July 1, 2024 - 12:30am');
  });

  it('applies the zone, including the date change and DST', () => {
    const instant = new Date('2024-11-10T23:30:00Z');
    expect(formatArticleDate(instant, 'Europe/Berlin')).toBe('November 11, 2024 - 12:30am');
    expect(formatArticleDate(new Date('2024-07-10T22:00:00Z'), 'America/New_York')).toBe('July 10, 2024 - 6:00pm');
  });
});
