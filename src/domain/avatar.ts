/*
 * Avatars are drawn locally from the display name (initials on a coloured disc) so that
 * showing a thread never asks a third party such as Gravatar for anything about readers.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Leading punctuation ("@ana", "(Bob)", "“Quoted”") is not the reader's initial.
const LEADING_PUNCTUATION = /^\p{P}+/u;

function firstGrapheme(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
  return '';
}

/**
 * Up to two initials: first character of the first and of the last word, e.g.
 * "Ana María López" -> "AL", "Cher" -> "C", "李小龍" -> "李", "" -> "?". Characters are
 * whole graphemes, so family emoji and accented letters written with combining marks
 * stay intact.
 */
export function initials(name: string, locale?: string): string {
  const words = name
    .normalize('NFC')
    .split(/\s+/u)
    .map((w) => w.replace(LEADING_PUNCTUATION, ''))
    .filter((w) => w !== '');
  const first = words[0];
  if (first === undefined) return '?';
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return (firstGrapheme(first) + firstGrapheme(last)).toLocaleUpperCase(locale);
}

/**
 * A hue in 0..359 derived from `seed` (use a stable id, not the editable name, if the
 * colour should survive renames). FNV-1a over UTF-16 units is tiny, identical in the
 * browser and on the server, and spreads similar seeds far apart.
 */
export function avatarHue(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}
