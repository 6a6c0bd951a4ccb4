import MarkdownIt from 'markdown-it';
import type { StateCore, StateInline, Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { messages } from '../messages.js';
import { ANCHOR_IGNORE_ATTR } from './article-text.js';
import { findMentions, MAX_MENTIONS, type Participant } from '../domain/mentions.js';

/*
 * Comment text goes through two independent walls: markdown-it with raw HTML off and a
 * link allow-list, then sanitize-html with an allow-list of exactly what that markdown
 * subset can emit. Either one alone should be enough; both exist so that a bug or a
 * future config change in one of them does not turn into stored XSS.
 */

const COMMENT_REL = 'nofollow ugc noopener';
const ARTICLE_REL = 'noopener';

// Checked on the already-normalised (entity-decoded, percent-encoded) URL, so tricks like
// `&#106;avascript:` or `JaVaScRiPt:` have been folded away by the time this runs.
// Requiring a host character after `//` rejects `http:///…` and bare `http://`.
const COMMENT_URL = /^(?:https?:\/\/[^\s/?#\\]|mailto:[^\s])/i;
const SCHEME_LIKE = /^[^/?#]*:/;
const ARTICLE_SCHEME = /^(?:https?|mailto):/i;
const LANGUAGE_CLASS = /^language-[\w+#.-]{1,32}$/;

function isCommentUrl(url: string): boolean {
  return COMMENT_URL.test(url.trim());
}

// Publishers legitimately link within their own site, so relative URLs stay. A colon
// before the first / ? # reads as a scheme to at least some URL parsers (and RFC 3986
// forbids it in relative references), so such URLs must use one of the safe three.
// Protocol-relative URLs are refused because sanitize-html would strip them anyway and
// a link that silently loses its href is worse than one left as text.
function isArticleUrl(url: string): boolean {
  const u = url.trim();
  if (u.startsWith('//') || u.startsWith('\\')) return false;
  return SCHEME_LIKE.test(u) ? ARTICLE_SCHEME.test(u) : true;
}

function keepOnlyHref(token: Token): void {
  token.attrs = (token.attrs ?? []).filter(([name]) => name === 'href');
}

// With the image rule disabled, `![alt](url)` would still become "!" followed by a live
// link. Consuming `![` as text keeps the whole construct literal, as the brief for
// comments asks: no images, and no image syntax smuggled in as something else.
function imageSyntaxAsText(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x21 || state.src.charCodeAt(state.pos + 1) !== 0x5b) {
    return false;
  }
  if (!silent) state.pending += '![';
  state.pos += 2;
  return true;
}

/** The only relative link a comment may hold: a mention's, to a comment on the same page. */
const MENTION_HREF = /^#comment-[1-9][0-9]{0,15}$/;
const MENTION_CLASS = 'parley-mention';

interface MentionEnv {
  participants?: readonly Participant[];
  /** Filled in while rendering: whom the text links to, in order, each once. */
  linked?: Participant[];
}

/**
 * `@name` of a participant becomes a link to their comment, in plain text only: not inside a
 * link, code or a word. Runs on markdown-it's tokens, so what it makes goes through the
 * sanitizer like the rest, which lets through exactly this href and class.
 */
function linkMentions(state: StateCore): void {
  const env = state.env as MentionEnv;
  if (!env.participants?.length) return;
  env.linked ??= [];
  let count = 0;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let inLink = 0;
    for (const t of block.children) {
      if (t.type === 'link_open') inLink++;
      if (t.type === 'link_close') inLink--;
      const spans = t.type === 'text' && inLink === 0 && count < MAX_MENTIONS ? findMentions(t.content, env.participants) : [];
      if (spans.length === 0) {
        out.push(t);
        continue;
      }
      let pos = 0;
      const text = (content: string) => {
        const tok = new state.Token('text', '', 0);
        tok.content = content;
        return tok;
      };
      for (const sp of spans) {
        if (count >= MAX_MENTIONS) break;
        count++;
        if (sp.start > pos) out.push(text(t.content.slice(pos, sp.start)));
        const open = new state.Token('mention_open', 'a', 1);
        open.attrs = [
          ['href', `#comment-${sp.who.commentId}`],
          ['class', MENTION_CLASS],
        ];
        out.push(open, text(t.content.slice(sp.start, sp.end)), new state.Token('mention_close', 'a', -1));
        if (!env.linked.some((p) => p.userId === sp.who.userId)) env.linked.push(sp.who);
        pos = sp.end;
      }
      if (pos < t.content.length) out.push(text(t.content.slice(pos)));
    }
    block.children = out;
  }
}

const commentMd = new MarkdownIt('zero', {
  html: false,
  linkify: true,
  typographer: false,
  breaks: true,
  // Deep nesting (`>>>>>>…`) is a cheap way to make the parser and the DOM work hard.
  maxNesting: 20,
});
commentMd.enable([
  'blockquote',
  'code',
  'fence',
  'list',
  'reference',
  'newline',
  'escape',
  'backticks',
  'strikethrough',
  'emphasis',
  'link',
  'autolink',
  'entity',
  'linkify',
]);
commentMd.inline.ruler.before('link', 'image_syntax_as_text', imageSyntaxAsText);
commentMd.validateLink = isCommentUrl;
commentMd.core.ruler.push('link_mentions', linkMentions);
commentMd.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  keepOnlyHref(token);
  token.attrSet('rel', COMMENT_REL);
  return self.renderToken(tokens, idx, options);
};

const COMMENT_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 's', 'a', 'blockquote', 'ul', 'ol', 'li', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'rel', 'class'], ol: ['start'], code: ['class'] },
  allowedClasses: { code: [LANGUAGE_CLASS], a: [MENTION_CLASS] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Re-applied here so the rel policy holds even if markdown output ever changes, and
    // so a relative href (which sanitize-html would otherwise accept) is dropped.
    a: (_tag, attribs) => {
      // A mention: a link to a comment on this page, nothing else kept.
      if (attribs.href !== undefined && MENTION_HREF.test(attribs.href) && attribs.class === MENTION_CLASS)
        return { tagName: 'a', attribs: { href: attribs.href, class: MENTION_CLASS } };
      const out: sanitizeHtml.Attributes = {};
      if (attribs.href !== undefined && isCommentUrl(attribs.href)) out.href = attribs.href;
      out.rel = COMMENT_REL;
      return { tagName: 'a', attribs: out };
    },
  },
};

/** Turns a reader's comment into safe HTML using the small markdown subset comments allow. */
export function renderMarkdown(src: string): string {
  return sanitizeHtml(commentMd.render(src), COMMENT_SANITIZE);
}

/**
 * A comment's HTML with its `@name` mentions of `participants` linked to their comments, and
 * whom it links (each once, at most MAX_MENTIONS): those are the readers to tell.
 */
export function renderComment(src: string, participants: readonly Participant[]): { html: string; mentioned: Participant[] } {
  const env: MentionEnv = { participants, linked: [] };
  return { html: sanitizeHtml(commentMd.render(src, env as Record<string, unknown>), COMMENT_SANITIZE), mentioned: env.linked ?? [] };
}

// A body `# Heading` would compete with the page's own <h1> (the article title) and
// break the outline screen readers navigate by, so levels are clamped to h2..h4.
function clampHeadings(state: StateCore): void {
  for (const token of state.tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    const level = Math.min(4, Math.max(2, Number(token.tag.slice(1))));
    token.tag = `h${level}`;
  }
}

// An image on a paragraph of its own is an illustration, so it becomes a <figure>; its
// markdown title, if any, is the visible caption rather than a hover-only tooltip.
function imagesAsFigures(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const open = tokens[i]!;
    const inline = tokens[i + 1]!;
    const close = tokens[i + 2]!;
    if (open.type !== 'paragraph_open' || open.hidden || close.type !== 'paragraph_close') continue;
    const only = inline.type === 'inline' && inline.children?.length === 1 ? inline.children[0] : undefined;
    if (only?.type !== 'image') continue;
    open.tag = 'figure';
    close.tag = 'figure';
    const title = only.attrGet('title');
    if (typeof title === 'string' && title.trim() !== '') {
      only.attrs = (only.attrs ?? []).filter(([name]) => name !== 'title');
      const capOpen = new state.Token('figcaption_open', 'figcaption', 1);
      const capText = new state.Token('text', '', 0);
      capText.content = title;
      const capClose = new state.Token('figcaption_close', 'figcaption', -1);
      inline.children!.push(capOpen, capText, capClose);
    }
  }
}

const articleMd = new MarkdownIt('default', {
  html: false,
  linkify: true,
  typographer: false,
  breaks: false,
});
articleMd.validateLink = isArticleUrl;
articleMd.core.ruler.push('clamp_headings', clampHeadings);
articleMd.core.ruler.push('images_as_figures', imagesAsFigures);
articleMd.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', ARTICLE_REL);
  return self.renderToken(tokens, idx, options);
};
const defaultImage = articleMd.renderer.rules.image!;
articleMd.renderer.rules.image = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('loading', 'lazy');
  return defaultImage(tokens, idx, options, env, self);
};

const CELL_ALIGN = { 'text-align': [/^(?:left|right|center)$/] };

const ARTICLE_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'em',
    'strong',
    's',
    'a',
    'blockquote',
    'ul',
    'ol',
    'li',
    'code',
    'pre',
    'h2',
    'h3',
    'h4',
    'hr',
    'img',
    'figure',
    'figcaption',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'rel', 'title'],
    img: ['src', 'alt', 'title', 'loading'],
    ol: ['start'],
    code: ['class'],
    th: ['style'],
    td: ['style'],
  },
  allowedClasses: { code: [LANGUAGE_CLASS] },
  allowedStyles: { th: CELL_ALIGN, td: CELL_ALIGN },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (_tag, attribs) => ({ tagName: 'a', attribs: { ...attribs, rel: ARTICLE_REL } }),
  },
};

/**
 * Renders a publisher-written article body. The author is trusted with headings, images
 * and tables, but not with raw HTML: the same sanitiser still runs with a wider list.
 */
export function renderArticleMarkdown(src: string): string {
  return withQuestions(sanitizeHtml(articleMd.render(src), ARTICLE_SANITIZE));
}

/**
 * Inline questions: a paragraph written `:::feedback Do you agree?:::` becomes a prompt readers
 * answer in place. Done on the sanitised output, so the question's text is already escaped; the
 * prompt is page furniture, left out of the text passage anchors count.
 */
function withQuestions(html: string): string {
  return html.replace(
    /<p>:::feedback\s+([\s\S]+?)\s*:::<\/p>/g,
    (_m, question: string) =>
      `<aside class="parley-question" ${ANCHOR_IGNORE_ATTR}><p class="parley-question-text">${question}</p><a class="parley-question-answer" href="#comments">${messages.pages.answerQuestion}</a></aside>`,
  );
}

/**
 * The start of an article for readers past the meter: everything up to and including its
 * `paragraphs`-th top-level paragraph. Cut on the token stream, so no element is left open and
 * nothing after the cut reaches the page.
 */
export function renderArticleTeaser(src: string, paragraphs: number): string {
  const env = {};
  const tokens = articleMd.parse(src, env);
  let seen = 0;
  let end = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.level === 0 && t.type === 'paragraph_close' && t.tag === 'p' && ++seen >= paragraphs) {
      end = i + 1;
      break;
    }
  }
  return withQuestions(sanitizeHtml(articleMd.renderer.render(tokens.slice(0, end), articleMd.options, env), ARTICLE_SANITIZE));
}

function collectText(tokens: readonly Token[], out: string[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'inline':
      case 'image':
        // An image's children are its alt text, the only readable part of it.
        collectText(token.children ?? [], out);
        break;
      case 'text':
      case 'code_inline':
        out.push(token.content);
        break;
      case 'code_block':
      case 'fence':
        out.push(' ', token.content, ' ');
        break;
      case 'softbreak':
      case 'hardbreak':
        out.push(' ');
        break;
      default:
        // Block edges (paragraphs, list items, table cells) must not glue words together.
        if (token.block) out.push(' ');
    }
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const ELLIPSIS = '…';
const TRAILING_JUNK = /[\s\p{P}]+$/u;

function graphemeLength(s: string): number {
  let n = 0;
  for (const _ of graphemes.segment(s)) n++;
  return n;
}

function takeSegments(segments: Iterable<Intl.SegmentData>, budget: number): string {
  let out = '';
  let used = 0;
  for (const { segment } of segments) {
    const n = graphemeLength(segment);
    if (used + n > budget) break;
    out += segment;
    used += n;
  }
  return out;
}

/**
 * Plain text (not HTML: escape it before putting it in markup) of a markdown source,
 * at most `max` user-perceived characters long including the trailing ellipsis.
 * Cuts fall on word boundaries in the Unicode sense, which also covers scripts written
 * without spaces; a single over-long word is cut between characters instead, but never
 * inside an emoji or a combining sequence.
 */
export function plainTextExcerpt(src: string, max: number): string {
  const limit = Math.floor(max);
  if (!(limit >= 1)) return '';
  const parts: string[] = [];
  // The article parser knows every construct, so heading marks, image syntax and table
  // pipes are stripped rather than leaking into an email as punctuation.
  collectText(articleMd.parse(src, {}), parts);
  const text = parts.join('').replace(/\s+/gu, ' ').trim();
  if (graphemeLength(text) <= limit) return text;

  const budget = limit - 1;
  let cut = takeSegments(words.segment(text), budget).replace(TRAILING_JUNK, '');
  if (cut === '') cut = takeSegments(graphemes.segment(text), budget).trimEnd();
  return cut + ELLIPSIS;
}
