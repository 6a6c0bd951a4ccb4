import type { ImportReport } from '../domain/import-report.js';
import { plurals } from './plural.js';

const pl = plurals('en');
const num = (n: number) => n.toLocaleString('en');

/** What `parley import` and `parley export` print (issue 7). */
export const importer = {
  malformed: (line: number | null, reason: string) => (line === null ? `Nothing was imported: ${reason}` : `Nothing was imported: line ${line}: ${reason}`),
  badEncoding: (encoding: string) => `the file has bytes that are not valid ${encoding}`,
  unknownEncoding: (label: string) => `the file declares an encoding Parley does not know: ${label}`,
  missing: (what: string, field: string) => `${what} has no ${field}`,
  badDate: (what: string, value: string) => `${what} has a date Parley cannot read: "${value}"`,
  notDisqus: (root: string) => `this is not a Disqus export (its root element is <${root}>, not <disqus>)`,
  notWordPress: (root: string) => `this is not a WordPress export (its root element is <${root}>, not <rss>)`,
  pendingReason: (source: string) => `Awaiting approval when imported from ${source}`,
  deletedAuthor: '[deleted]',
  /** An imported comment's author whose name the export leaves empty or unusable. */
  anonymousAuthor: 'Anonymous',
  progress: (percent: number, items: string, unit: string, rate: string, eta: string) => `${percent}% · ${items} ${unit} · ${rate}/s · ${eta} left`,
  units: { comments: 'comments', records: 'records' },
  summary: (r: ImportReport, seconds: number) => {
    const n = num;
    const s = r.skipped;
    return [
      `Imported ${n(r.comments)} comments from ${r.source} in ${seconds.toFixed(1)} s${r.pending ? ` (${n(r.pending)} awaiting moderation)` : ''}.`,
      `Articles: ${n(r.articlesCreated)} created, ${n(r.articlesMatched)} matched by URL. Imported authors (shown by their name there, not linked to any account): ${n(r.usersCreated)} new, ${n(r.usersMatched)} from an earlier import.`,
      `Skipped: ${n(s.spam)} spam, ${n(s.trash)} trash, ${n(s.deleted)} deleted, ${n(s.pingback)} pingbacks, ${n(s.other)} of other types, ${n(s.empty)} empty, ${n(s.noThread)} on unknown pages.`,
      `Already imported (left as they were): ${n(r.duplicates)}. Deleted placeholders kept for their replies: ${n(r.placeholders)}. Replies whose parent was missing, kept as top-level: ${n(r.orphans)}.`,
      `Longer than the comment length limit, imported cut to it: ${n(r.truncated)}.`,
    ].join('\n');
  },
  // `parley import parley` and `parley export`
  notEmpty: 'the database is not empty; restore an export into a new, empty database (set DATABASE_URL)',
  notParleyExport: 'this is not a Parley export (its first line is not a Parley export header)',
  newerExport: (names: string) => `the export comes from a newer Parley (schema ${names}); upgrade this one first`,
  badJson: (reason: string) => `not a JSON object: ${reason}`,
  unknownType: (type: string) => `unknown record type "${type}"`,
  rejectedRow: (type: string, reason: string) => `the database refused this ${type}: ${reason}`,
  restored: (counts: Record<string, number>, seconds: number) =>
    `Restored ${
      Object.entries(counts)
        .map(([t, c]) => `${num(c)} ${pl(c, { one: t, other: `${t}s` })}`)
        .join(', ') || 'nothing'
    } in ${seconds.toFixed(1)} s.`,
  exported: (counts: Record<string, number>, file: string, seconds: number) =>
    `Exported ${Object.entries(counts)
      .map(([t, c]) => `${num(c)} ${pl(c, { one: t, other: `${t}s` })}`)
      .join(', ')} to ${file} in ${seconds.toFixed(1)} s.`,
  unknownFormat: (format: string) => `unknown export format "${format}"; the one format is json`,
} as const;
