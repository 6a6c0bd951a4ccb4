import { DomUtils, parseDocument } from 'htmlparser2';

/*
 * Comments imported from Disqus and WordPress arrive as HTML. Parley stores what a reader would
 * have typed (the Markdown subset of `renderMarkdown`) and renders it like any other comment, so
 * imported text goes through the same two walls as new text and stays editable.
 */

type DomNode = ReturnType<typeof parseDocument>['children'][number];

export interface HtmlToMarkdownOptions {
  /**
   * 'collapse': newlines in text are spaces, as in a browser (Disqus stores real HTML).
   * 'keep': a blank line starts a paragraph and a newline breaks the line, as WordPress's
   * `wpautop` shows stored comments.
   */
  newlines: 'collapse' | 'keep';
}

const DROP = new Set([
  'script',
  'style',
  'template',
  'head',
  'title',
  'noscript',
  'button',
  'input',
  'select',
  'option',
  'textarea',
  'svg',
  'math',
  'object',
  'embed',
  'canvas',
  'map',
]);
const BLOCK = new Set([
  'p',
  'div',
  'blockquote',
  'ul',
  'ol',
  'li',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'main',
  'figure',
  'figcaption',
  'dl',
  'dt',
  'dd',
  'address',
  'details',
  'summary',
  'form',
  'fieldset',
  'center',
]);
const HEADING = /^h[1-6]$/;
const LIST_START = /^(?:- |\d{1,9}\. )/;
const LINKABLE = /^(?:https?:\/\/[^\s/?#\\]|mailto:[^\s])/i;

/** Turns stored HTML into the Markdown subset comments use; '' when nothing readable is left. */
export function htmlToMarkdown(html: string, opts: HtmlToMarkdownOptions): string {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const md = blocks(doc.children, opts).join('\n\n');
  return clean(md);
}

/** Plain text of an HTML fragment (names and titles sometimes arrive entity-encoded). */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const doc = parseDocument(html, { decodeEntities: true });
  return DomUtils.textContent(doc).replace(/\s+/g, ' ').trim();
}

function clean(md: string): string {
  return md
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---- blocks -------------------------------------------------------------------------------

function blocks(nodes: readonly DomNode[], opts: HtmlToMarkdownOptions): string[] {
  const out: string[] = [];
  let inlineBuf = '';
  const flush = () => {
    out.push(...paragraphs(inlineBuf));
    inlineBuf = '';
  };
  for (const node of nodes) {
    if (DomUtils.isText(node)) inlineBuf += text(node.data, opts);
    else if (DomUtils.isCDATA(node)) inlineBuf += text(DomUtils.textContent(node), opts);
    else if (DomUtils.isTag(node)) {
      if (DROP.has(node.name)) continue;
      if (BLOCK.has(node.name)) {
        flush();
        out.push(...block(node, opts));
      } else inlineBuf += inline(node, opts);
    }
  }
  flush();
  return out.filter((b) => b.trim() !== '');
}

type DomElement = Extract<DomNode, { name: string; attribs: Record<string, string> }>;

function block(el: DomElement, opts: HtmlToMarkdownOptions): string[] {
  const name = el.name;
  if (HEADING.test(name)) {
    const inner = paragraphs(inlineChildren(el, opts)).join(' ');
    return inner ? [wrap('**', inner)] : [];
  }
  switch (name) {
    case 'hr':
      return [];
    case 'blockquote': {
      const inner = blocks(el.children, opts).join('\n\n');
      return inner
        ? [
            inner
              .split('\n')
              .map((l) => (l ? `> ${l}` : '>'))
              .join('\n'),
          ]
        : [];
    }
    case 'ul':
    case 'ol':
      return list(el, opts);
    case 'pre':
      return [fence(el)];
    case 'table':
    case 'thead':
    case 'tbody':
    case 'tfoot': {
      const rows = DomUtils.getElementsByTagName('tr', el.children, true).map((tr) =>
        tr.children
          .filter(DomUtils.isTag)
          .filter((c) => c.name === 'td' || c.name === 'th')
          .map((c) => paragraphs(inlineChildren(c, opts)).join(' '))
          .filter(Boolean)
          .join(' | '),
      );
      const body = rows.filter(Boolean).join('\n');
      return body ? [body] : [];
    }
    default:
      return blocks(el.children, opts);
  }
}

function list(el: DomElement, opts: HtmlToMarkdownOptions): string[] {
  const ordered = el.name === 'ol';
  let n = ordered ? Number.parseInt(el.attribs.start ?? '1', 10) : 0;
  if (!Number.isFinite(n) || n < 0 || n > 999_999_999) n = 1;
  const items: string[] = [];
  for (const child of el.children) {
    // Stray text or elements between <li>s still belong to the list's content.
    const parts = DomUtils.isTag(child) && child.name === 'li' ? blocks(child.children, opts) : blocks([child], opts);
    // A nested list right under the item's text keeps the list tight (no blank line, no <p>s).
    const content = parts.reduce((acc, b, i) => (i === 0 ? b : `${acc}${LIST_START.test(b) ? '\n' : '\n\n'}${b}`), '');
    if (!content) continue;
    const marker = ordered ? `${n++}. ` : '- ';
    const pad = ' '.repeat(marker.length);
    items.push(
      marker +
        content
          .split('\n')
          .map((l, i) => (i === 0 || l === '' ? l : pad + l))
          .join('\n'),
    );
  }
  return items.length ? [items.join('\n')] : [];
}

function fence(pre: DomElement): string {
  const code = pre.children.find((c): c is DomElement => DomUtils.isTag(c) && c.name === 'code');
  const lang = /(?:^|\s)(?:language|lang)-([\w+#.-]{1,32})(?:\s|$)/.exec(code?.attribs.class ?? pre.attribs.class ?? '')?.[1] ?? '';
  const body = DomUtils.textContent(pre).replace(/\r\n?/g, '\n').replace(/^\n/, '').replace(/\n$/, '');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}${lang}\n${body}\n${marks}`;
}

/**
 * Splits inline Markdown into paragraphs at blank lines and makes each line safe: no leading
 * blanks (an indented code block), no leading list, quote or ordered-list marker the text never meant.
 */
function paragraphs(buf: string): string[] {
  return buf
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => escapeLineStart(l.replace(/[ \t]+/g, ' ').trim()))
        .filter((l) => l !== '')
        .join('\n'),
    )
    .filter((p) => p !== '');
}

function escapeLineStart(line: string): string {
  if (/^[-+](?=\s|$)/.test(line) || line.startsWith('>')) return `\\${line}`;
  return line.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

// ---- inline -------------------------------------------------------------------------------

function inlineChildren(el: DomElement, opts: HtmlToMarkdownOptions): string {
  let out = '';
  for (const c of el.children) {
    if (DomUtils.isText(c)) out += text(c.data, opts);
    else if (DomUtils.isCDATA(c)) out += text(DomUtils.textContent(c), opts);
    else if (DomUtils.isTag(c) && !DROP.has(c.name)) {
      // A block inside an inline element (a <p> inside a <span>) still ends a line.
      out += BLOCK.has(c.name) ? `\n\n${block(c, opts).join('\n\n')}\n\n` : inline(c, opts);
    }
  }
  return out;
}

function inline(el: DomElement, opts: HtmlToMarkdownOptions): string {
  switch (el.name) {
    case 'br':
      return '\n';
    case 'em':
    case 'i':
    case 'cite':
    case 'dfn':
      return wrap('*', inlineChildren(el, opts));
    case 'strong':
    case 'b':
      return wrap('**', inlineChildren(el, opts));
    case 's':
    case 'del':
    case 'strike':
      return wrap('~~', inlineChildren(el, opts));
    case 'code':
    case 'kbd':
    case 'samp':
    case 'tt':
      return codeSpan(DomUtils.textContent(el));
    case 'a':
      return link(el, opts);
    case 'img': {
      const src = el.attribs.src ?? '';
      const alt = (el.attribs.alt ?? '').replace(/\s+/g, ' ').trim();
      // Comments carry no images: a link to the picture keeps what the reader could see.
      if (LINKABLE.test(src) && /^https?:/i.test(src)) return `[${escapeText(alt || src.split('/').pop() || src)}](${destination(src)})`;
      return escapeText(alt);
    }
    case 'iframe':
    case 'video':
    case 'audio':
    case 'source': {
      const src = el.attribs.src ?? '';
      return /^https?:\/\//i.test(src) ? ` ${autolink(src)} ` : inlineChildren(el, opts);
    }
    default:
      return inlineChildren(el, opts);
  }
}

/** Emphasis markers hug the words: `<em> a </em>` becomes ` *a* `, since `* a *` is no emphasis. */
function wrap(marker: string, inner: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  if (!m[2]) return inner;
  // Markers cannot span a paragraph break; wrap each paragraph on its own.
  const parts = m[2].split(/\n\s*\n/).map((p) => `${marker}${p.trim()}${marker}`);
  return `${m[1]}${parts.join('\n\n')}${m[3]}`;
}

function codeSpan(raw: string): string {
  const body = raw.replace(/\s*\n\s*/g, ' ');
  if (!body.trim()) return body;
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

function link(el: DomElement, opts: HtmlToMarkdownOptions): string {
  const inner = inlineChildren(el, opts);
  const href = unwrapRedirect((el.attribs.href ?? '').trim());
  if (!LINKABLE.test(href)) return inner;
  const shown = DomUtils.textContent(el).replace(/\s+/g, ' ').trim();
  // Link text that is itself an address (often shortened with "..." by Disqus) shows the address.
  if (!shown || shown === href || (/^(?:https?:\/\/|www\.)/i.test(shown) && !/\s/.test(shown))) return autolink(href);
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  return `${m[1]}[${m[2]!.replace(/\n+/g, ' ')}](${destination(href)})${m[3]}`;
}

function autolink(href: string): string {
  return /[\s<>]/.test(href) ? `[${escapeText(href)}](${destination(href)})` : `<${href}>`;
}

function destination(href: string): string {
  return href.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Disqus rewrites outgoing links through `disq.us/url?url=<target>:<hash>`; keep the target. */
function unwrapRedirect(href: string): string {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return href;
  }
  if (!/(^|\.)disq\.us$/i.test(u.hostname) || !u.pathname.startsWith('/url')) return href;
  const target = u.searchParams.get('url');
  if (!target) return href;
  return target.replace(/:[\w-]{10,}$/, '');
}

// ---- text ---------------------------------------------------------------------------------

function text(data: string, opts: HtmlToMarkdownOptions): string {
  const spaced = opts.newlines === 'keep' ? data.replace(/\r\n?/g, '\n').replace(/[ \t\f]+/g, ' ') : data.replace(/[ \t\r\n\f]+/g, ' ');
  return escapeText(spaced);
}

const WORD = /[\p{L}\p{N}]/u;

/** Escapes what Markdown would read as markup; underscores inside words stay as typed. */
export function escapeText(s: string): string {
  let out = s.replace(/[\\`*[\]]/g, '\\$&');
  out = out.replace(/_/g, (_m, i: number, all: string) => (WORD.test(all[i - 1] ?? '') && WORD.test(all[i + 1] ?? '') ? '_' : '\\_'));
  out = out.replace(/~{2,}/g, (m) => m.replace(/~/g, '\\~'));
  out = out.replace(/&(?=#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '\\&');
  return out.replace(/<(?=[a-z/!?])/gi, '\\<');
}
