const formats = new Map<string, Intl.DateTimeFormat>();

/** "December 20, 2026" in the publication's time zone, for subscription dates. */
export function longDate(d: Date, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone });
    formats.set(timeZone, f);
  }
  return f.format(d);
}
