import { loadPayloads } from '../support/xss.js';
import { describe, it, expect } from 'vitest';
import { plainTextExcerpt, renderArticleMarkdown, renderMarkdown } from '../../src/render/markdown.js';

const REL = 'rel="nofollow ugc noopener"';

const COMMENT_TAGS = new Set(['p', 'br', 'em', 'strong', 's', 'a', 'blockquote', 'ul', 'ol', 'li', 'code', 'pre']);
const COMMENT_ATTRS = new Set(['href', 'rel', 'start', 'class']);
const ARTICLE_TAGS = new Set([...COMMENT_TAGS, 'h2', 'h3', 'h4', 'hr', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const ARTICLE_ATTRS = new Set([...COMMENT_ATTRS, 'src', 'alt', 'title', 'loading', 'style']);
const FORBIDDEN_ELEMENTS =
  /<(?:iframe|svg|style|math|object|embed|form|input|button|textarea|base|meta|link|frame|frameset|applet|template|video|audio|source|portal|details)\b/i;
const TAG = /<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g;
const ATTR = /([^\s"'=/>]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)/g;

interface Policy {
  tags: Set<string>;
  attrs: Set<string>;
  images: boolean;
  // Articles carry free text in alt/title values, where "onerror=" is just words.
  freeTextAttrs: boolean;
  url: (value: string) => boolean;
}

const commentPolicy: Policy = {
  tags: COMMENT_TAGS,
  attrs: COMMENT_ATTRS,
  images: false,
  freeTextAttrs: false,
  url: (v) => /^(?:https?:\/\/|mailto:)/i.test(v),
};
// Articles may use site-relative links and images, but never another scheme.
const articlePolicy: Policy = {
  tags: ARTICLE_TAGS,
  attrs: ARTICLE_ATTRS,
  images: true,
  freeTextAttrs: true,
  url: (v) => /^(?:https?|mailto):/i.test(v) || !/^(?:[^/?#]*:|\/\/)/.test(v),
};

const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', colon: ':', tab: '\t', newline: '\n' };

// What a browser would act on: entities decoded, then the tabs, newlines and leading
// control characters it ignores in URLs removed.
function browserView(attrValue: string): string {
  const decoded = attrValue.replace(/&(?:#x([0-9a-f]+)|#(\d+)|([a-z]+));?/gi, (m, hex?: string, dec?: string, name?: string) => {
    const code = hex ? parseInt(hex, 16) : dec ? parseInt(dec, 10) : undefined;
    if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    return NAMED[name!.toLowerCase()] ?? m;
  });
  return decoded.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
}

/** Everything unsafe found in `html`; an empty list means it passed. */
function problems(html: string, policy: Policy): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('script element');
  if (!policy.images && /<img/i.test(html)) found.push('img element');
  const forbidden = FORBIDDEN_ELEMENTS.exec(html);
  if (forbidden) found.push(`forbidden element ${forbidden[0]}`);
  // Only markup counts: a payload echoed as escaped text (`&lt;a href="javascript:…`) is
  // exactly the desired outcome, so these checks look inside tags.
  for (const [tag, name, attrText] of html.matchAll(TAG)) {
    if (/(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):/i.test(tag)) found.push(`dangerous URL in ${tag}`);
    if (!policy.tags.has(name!.toLowerCase())) found.push(`unexpected tag ${tag}`);
    const scanned = policy.freeTextAttrs ? tag.replace(/"[^"]*"|'[^']*'/g, '""') : tag;
    if (/\son\w+\s*=/i.test(scanned)) found.push(`event handler in ${tag}`);
    for (const [, attr, quoted] of attrText!.matchAll(ATTR)) {
      if (!policy.attrs.has(attr!.toLowerCase())) found.push(`unexpected attribute ${attr} in ${tag}`);
      if (attr === 'href' || attr === 'src') {
        const value = browserView(quoted!.replace(/^["']|["']$/g, ''));
        if (!policy.url(value)) found.push(`unexpected URL ${value}`);
      }
    }
    if (name === 'a' && /\starget\s*=/i.test(tag)) found.push('target attribute');
  }
  return found;
}

describe('renderMarkdown: supported subset', () => {
  it('renders emphasis, strong and strikethrough', () => {
    expect(renderMarkdown('*a* _b_ **c** __d__ ~~e~~')).toBe('<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <s>e</s></p>\n');
  });

  it('turns single newlines into line breaks and blank lines into paragraphs', () => {
    expect(renderMarkdown('one\ntwo\n\nthree')).toBe('<p>one<br />\ntwo</p>\n<p>three</p>\n');
  });

  it('gives links the nofollow/ugc rel and no target', () => {
    const html = renderMarkdown('[site](https://example.com/a?b=1&c=2 "a title")');
    expect(html).toBe(`<p><a href="https://example.com/a?b=1&amp;c=2" ${REL}>site</a></p>\n`);
    expect(html).not.toMatch(/target=/);
    expect(html).not.toMatch(/title=/);
  });

  it('links autolinks, bare URLs and email addresses', () => {
    expect(renderMarkdown('<https://example.com/x>')).toContain(`<a href="https://example.com/x" ${REL}>https://example.com/x</a>`);
    expect(renderMarkdown('see https://example.com/y.')).toContain(`<a href="https://example.com/y" ${REL}>https://example.com/y</a>.`);
    expect(renderMarkdown('mail ana@example.com')).toContain(`<a href="mailto:ana@example.com" ${REL}>ana@example.com</a>`);
    expect(renderMarkdown('[write](mailto:ana@example.com)')).toContain(`<a href="mailto:ana@example.com" ${REL}>write</a>`);
  });

  it('resolves reference-style links through the same allow-list', () => {
    expect(renderMarkdown('[ok][r]\n\n[r]: https://example.com')).toBe(`<p><a href="https://example.com" ${REL}>ok</a></p>\n`);
    const bad = renderMarkdown('[bad][r]\n\n[r]: javascript:alert(1)');
    expect(bad).not.toContain('<a');
    expect(bad).toContain('javascript:alert(1)');
  });

  it('renders blockquotes', () => {
    expect(renderMarkdown('> quoted\n> text\n\nreply')).toBe('<blockquote>\n<p>quoted<br />\ntext</p>\n</blockquote>\n<p>reply</p>\n');
  });

  it('renders bullet and ordered lists, keeping the start number', () => {
    expect(renderMarkdown('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
    expect(renderMarkdown('1. a\n2. b')).toBe('<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n');
    expect(renderMarkdown('3. c\n4. d')).toContain('<ol start="3">');
  });

  it('renders inline code and escapes what is inside it', () => {
    expect(renderMarkdown('use `a < b && <i>` here')).toBe('<p>use <code>a &lt; b &amp;&amp; &lt;i&gt;</code> here</p>\n');
  });

  it('renders fenced code with a language class, and indented code', () => {
    expect(renderMarkdown('```ts\nconst x = "<b>";\n```')).toBe('<pre><code class="language-ts">const x = "&lt;b&gt;";\n</code></pre>\n');
    expect(renderMarkdown('    plain code')).toBe('<pre><code>plain code\n</code></pre>\n');
  });

  it('drops a fence info string that is not a plain language name', () => {
    const html = renderMarkdown('```"><script>alert(1)</script>\nx\n```');
    expect(html).toBe('<pre><code>x\n</code></pre>\n');
  });
});

describe('renderMarkdown: everything else stays text', () => {
  it('does not render headings', () => {
    const html = renderMarkdown('# Big\n\n## Smaller\n\nSetext\n===');
    expect(html).not.toMatch(/<h\d/);
    expect(html).toContain('<p># Big</p>');
    expect(html).toContain('<p>## Smaller</p>');
    expect(html).toContain('Setext<br />\n===');
  });

  it('does not render images, even with a safe URL', () => {
    const html = renderMarkdown('![cat](https://example.com/cat.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('![cat](');
  });

  it('does not render horizontal rules or tables', () => {
    expect(renderMarkdown('a\n\n---\n\nb')).toBe('<p>a</p>\n<p>---</p>\n<p>b</p>\n');
    const table = renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |');
    expect(table).not.toContain('<table');
    expect(table).toContain('| a | b |');
  });

  it('neutralises javascript: links, leaving the source as text', () => {
    for (const src of ['[x](javascript:alert(1))', '[x](  JaVaScRiPt:alert(1))', '<javascript:alert(1)>', '[x](&#106;avascript:alert(1))']) {
      const html = renderMarkdown(src);
      expect(html, src).not.toContain('<a');
      expect(html, src).not.toMatch(/href=/);
      expect(html.toLowerCase(), src).toContain('javascript:alert(1)');
    }
  });

  it('does not link relative, protocol-relative or other-scheme URLs', () => {
    for (const src of ['[x](/admin)', '[x](#top)', '[x](//evil.example)', '[x](ftp://example.com)', '[x](file:///etc/passwd)']) {
      expect(renderMarkdown(src), src).not.toContain('<a');
    }
  });

  it('shows raw HTML as text rather than markup', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(renderMarkdown('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    expect(renderMarkdown('<b>bold?</b>')).toBe('<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n');
  });
});

describe('renderMarkdown: text fidelity', () => {
  it('passes emoji, RTL and other scripts through untouched', () => {
    const text = 'שלום עולם 👋🏽 مرحبا بالعالم 👩‍👩‍👧 日本語のテキスト Ελληνικά café ❤️ 🇺🇦';
    expect(renderMarkdown(text)).toBe(`<p>${text}</p>\n`);
  });

  it('keeps combining sequences and bidi marks as written', () => {
    const text = 'cafe\u0301 \u200fעברית\u200f x\u200dy';
    expect(renderMarkdown(text)).toBe(`<p>${text}</p>\n`);
  });

  it('escapes the characters that matter in HTML', () => {
    expect(renderMarkdown('a & b < c > d "e"')).toBe('<p>a &amp; b &lt; c &gt; d "e"</p>\n');
  });

  it('renders an empty comment as nothing', () => {
    expect(renderMarkdown('')).toBe('');
  });
});

describe('XSS corpus', () => {
  const payloads = loadPayloads();

  it('has at least 200 distinct payloads', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(200);
    expect(new Set(payloads).size).toBe(payloads.length);
  });

  // Guards against a checker that can never fail: fed the raw payloads, it must object.
  it('the safety check flags raw payloads and known-bad markup', () => {
    const flagged = payloads.filter((p) => problems(p, commentPolicy).length > 0);
    expect(flagged.length).toBeGreaterThan(payloads.length / 2);
    for (const bad of [
      '<p><img src="https://x/y.png"></p>',
      '<p onclick="x()">a</p>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="data:text/html,x">x</a>',
      '<a href=" vbscript:x">x</a>',
      '<a href="/relative">x</a>',
      '<a href="https://x" target="_blank">x</a>',
      '<svg></svg>',
      '<iframe></iframe>',
      '<style></style>',
      '<h1>x</h1>',
      '<p style="color:red">x</p>',
    ]) {
      expect(problems(bad, commentPolicy), bad).not.toEqual([]);
    }
    expect(problems(`<p><a href="https://example.com" ${REL}>x</a></p>`, commentPolicy)).toEqual([]);
  });

  for (const [i, payload] of payloads.entries()) {
    it(`comment payload ${i + 1}: ${JSON.stringify(payload).slice(0, 80)}`, () => {
      expect(problems(renderMarkdown(payload), commentPolicy)).toEqual([]);
    });
  }

  it('article renderer is safe on every payload too', () => {
    for (const payload of payloads) {
      expect(problems(renderArticleMarkdown(payload), articlePolicy), payload).toEqual([]);
    }
  });
});

describe('renderArticleMarkdown', () => {
  it('renders headings, demoting h1 below the page title and capping at h4', () => {
    const html = renderArticleMarkdown('# One\n\n## Two\n\n### Three\n\n###### Six');
    expect(html).toBe('<h2>One</h2>\n<h2>Two</h2>\n<h3>Three</h3>\n<h4>Six</h4>\n');
  });

  it('renders a standalone image as a figure with its title as caption', () => {
    expect(renderArticleMarkdown('![A cat](https://cdn.example.com/cat.jpg "Our cat")')).toBe(
      '<figure><img src="https://cdn.example.com/cat.jpg" alt="A cat" loading="lazy" /><figcaption>Our cat</figcaption></figure>\n',
    );
  });

  it('keeps inline images inside their paragraph', () => {
    const html = renderArticleMarkdown('text ![i](/img/i.png) more');
    expect(html).toBe('<p>text <img src="/img/i.png" alt="i" loading="lazy" /> more</p>\n');
  });

  it('gives links rel=noopener and allows site-relative links', () => {
    expect(renderArticleMarkdown('[a](https://example.com) [b](/about)')).toBe(
      '<p><a href="https://example.com" rel="noopener">a</a> <a href="/about" rel="noopener">b</a></p>\n',
    );
  });

  it('renders rules and tables but still no raw HTML or dangerous URLs', () => {
    const html = renderArticleMarkdown('---\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n<b>x</b> [j](javascript:alert(1)) ![d](data:image/png;base64,AAAA)');
    expect(html).toContain('<hr />');
    expect(html).toContain('<th style="text-align:center">a</th>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toMatch(/href="javascript|src="data/);
  });
});

describe('plainTextExcerpt', () => {
  it('strips markdown and collapses whitespace', () => {
    expect(plainTextExcerpt('# Title\n\nSome **bold** and _em_ [link](https://x.example)\n\n> quoted\n\n- one\n- two', 200)).toBe(
      'Title Some bold and em link quoted one two',
    );
  });

  it('returns short text unchanged', () => {
    expect(plainTextExcerpt('Hello there', 11)).toBe('Hello there');
  });

  it('cuts on a word boundary and adds an ellipsis within the limit', () => {
    const out = plainTextExcerpt('The quick brown fox jumps over the lazy dog', 20);
    expect(out).toBe('The quick brown fox…');
    expect([...out].length).toBeLessThanOrEqual(20);
    expect(plainTextExcerpt('The quick brown fox jumps', 12)).toBe('The quick…');
  });

  it('does not leave dangling punctuation before the ellipsis', () => {
    expect(plainTextExcerpt('First, second, third', 9)).toBe('First…');
  });

  it('hard-cuts a single long word without splitting emoji', () => {
    expect(plainTextExcerpt('Supercalifragilistic', 6)).toBe('Super…');
    expect(plainTextExcerpt('👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧', 3)).toBe('👩‍👩‍👧👩‍👩‍👧…');
  });

  it('keeps raw HTML as text for the caller to escape', () => {
    expect(plainTextExcerpt('<b>hi</b> &amp; bye', 100)).toBe('<b>hi</b> & bye');
  });

  it('returns an empty string for non-positive limits', () => {
    expect(plainTextExcerpt('anything', 0)).toBe('');
    expect(plainTextExcerpt('anything', Number.NaN)).toBe('');
  });
});
