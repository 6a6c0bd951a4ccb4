import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { messages } from '../../messages.js';

/** A file that cannot be imported: where (1-based line, when known) and why. Nothing was written. */
export class ImportError extends Error {
  constructor(
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(messages.importer.malformed(line, reason));
    this.name = 'ImportError';
  }
}

/** One element and everything inside it, as the importers need it: names as written (with prefix). */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
  line: number;
  /** Its text was longer than the reader's `maxText` and was cut there. */
  clipped?: boolean;
}

/** The part of a name after its namespace prefix: `dsq:id` → `id`. */
export const local = (name: string) => name.slice(name.indexOf(':') + 1);

export function child(n: XNode, name: string): XNode | undefined {
  return n.children.find((c) => c.name === name);
}

export function childText(n: XNode, name: string): string {
  return child(n, name)?.text.trim() ?? '';
}

export type XmlEvent =
  | { kind: 'node'; path: readonly string[]; node: XNode }
  | { kind: 'open'; path: readonly string[]; line: number }
  | { kind: 'close'; path: readonly string[]; line: number };

export interface XmlReadOptions {
  /** Elements (by path of names from the root) delivered whole, with their subtree. */
  capture(path: readonly string[]): boolean;
  /** Elements whose opening and closing are reported (e.g. a WordPress `<item>`). */
  boundary?(path: readonly string[]): boolean;
  /** Bytes of the file read so far, for progress. */
  onBytes?(bytes: number): void;
  /** Characters of text kept per captured element; the rest is dropped and the element marked `clipped`. */
  maxText?: number;
}

/**
 * Streams an XML file as whole small elements, so a file of any size is read in constant memory.
 * The text decoding follows the BOM or the XML declaration (UTF-8 by default); invalid bytes,
 * like broken XML, stop the import with the line where they are.
 */
export async function* readXml(file: string, opts: XmlReadOptions): AsyncGenerator<XmlEvent> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const queue: XmlEvent[] = [];
  const path: string[] = [];
  // Elements being captured, innermost last; empty when outside any captured element.
  const open: XNode[] = [];

  parser.on('opentag', (tag) => {
    path.push(tag.name);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = detached(String(v));
    if (open.length > 0 || opts.capture(path)) {
      const node: XNode = { name: tag.name, attrs, children: [], text: '', line: parser.line };
      open.at(-1)?.children.push(node);
      open.push(node);
    } else if (opts.boundary?.(path)) queue.push({ kind: 'open', path: [...path], line: parser.line });
  });
  parser.on('closetag', () => {
    if (open.length > 0) {
      const node = open.pop()!;
      node.text = detached(node.text);
      if (open.length === 0) queue.push({ kind: 'node', path: [...path], node });
    } else if (opts.boundary?.(path)) queue.push({ kind: 'close', path: [...path], line: parser.line });
    path.pop();
  });
  const maxText = opts.maxText ?? Infinity;
  const onText = (t: string) => {
    const cur = open.at(-1);
    if (!cur) return;
    const room = maxText - cur.text.length;
    if (t.length <= room) cur.text += t;
    else {
      // One over-long element (a 50 MB comment) must not cost its size again in every copy made of it.
      if (room > 0) cur.text += t.slice(0, /[\uD800-\uDBFF]/.test(t[room - 1]!) ? room - 1 : room);
      cur.clipped = true;
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err) => {
    throw new ImportError(parser.line, err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''));
  });

  let decoder: TextDecoder | null = null;
  let bytes = 0;
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      decoder ??= decoderFor(chunk);
      let textChunk: string;
      try {
        textChunk = decoder.decode(chunk, { stream: true });
      } catch {
        throw new ImportError(parser.line + linesBeforeInvalid(chunk, decoder.encoding), messages.importer.badEncoding(decoder.encoding));
      }
      parser.write(textChunk);
      while (queue.length) yield queue.shift()!;
      opts.onBytes?.(bytes);
    }
    try {
      if (decoder) parser.write(decoder.decode());
    } catch {
      throw new ImportError(parser.line, messages.importer.badEncoding(decoder!.encoding));
    }
    parser.close();
    while (queue.length) yield queue.shift()!;
  } finally {
    stream.destroy();
  }
}

/** Line breaks in a chunk before its first undecodable byte (the parser has read up to the chunk). */
function linesBeforeInvalid(chunk: Buffer, encoding: string): number {
  const text = new TextDecoder(encoding).decode(chunk);
  const bad = text.indexOf('\uFFFD');
  return (bad < 0 ? text : text.slice(0, bad)).split('\n').length - 1;
}

/** The file's encoding from its byte-order mark or its `<?xml ... encoding="..."?>`. */
function decoderFor(head: Buffer): TextDecoder {
  let label = 'utf-8';
  if (head[0] === 0xfe && head[1] === 0xff) label = 'utf-16be';
  else if (head[0] === 0xff && head[1] === 0xfe) label = 'utf-16le';
  else {
    const decl = /^(?:\xEF\xBB\xBF)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.subarray(0, 300).toString('latin1'));
    if (decl) label = decl[1]!;
  }
  try {
    // `fatal`: bytes that are not valid in the declared encoding stop the import instead of becoming �.
    return new TextDecoder(label, { fatal: true });
  } catch {
    throw new ImportError(1, messages.importer.unknownEncoding(label));
  }
}

/**
 * A time as the exports write it: ISO 8601 (Disqus) or `YYYY-MM-DD HH:MM:SS` (WordPress), UTC
 * unless an offset is given. Anything else stops the import at that line.
 */
export function parseTime(value: string, line: number, what: string): Date {
  const v = value.trim();
  let iso = v.replace(/^(\d{4}-\d\d-\d\d) /, '$1T');
  if (!/(?:Z|[+-]\d\d:?\d\d)$/i.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  if (!/^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?$/i.test(v) || Number.isNaN(t))
    throw new ImportError(line, messages.importer.badDate(what, value));
  return new Date(t);
}

/** The `dsq:id`-style id attribute of an element, whatever its namespace prefix. */
export function idAttr(n: XNode): string {
  const dsq = n.attrs['dsq:id'];
  if (dsq !== undefined) return dsq.trim();
  for (const k in n.attrs) if (local(k) === 'id') return n.attrs[k]!.trim();
  return '';
}

/**
 * A copy of `s` that holds no reference to the chunk it was cut from: V8 keeps a whole 256 KB
 * read chunk alive for as long as any slice of it lives, so a few kept titles would hold the file.
 */
function detached(s: string): string {
  return s.length === 0 ? s : ` ${s}`.slice(1);
}
