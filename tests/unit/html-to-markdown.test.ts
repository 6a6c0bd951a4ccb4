import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { htmlToMarkdown, htmlToText } from '../../src/services/import/html-to-markdown.js';
import { slugFromUrl } from '../../src/services/import/writer.js';
import { wpdiscuzVotes } from '../../src/services/import/wordpress.js';
import { loadPayloads } from '../support/xss.js';

const md = (html: string, newlines: 'collapse' | 'keep' = 'collapse') => htmlToMarkdown(html, { newlines });
const COMMENT_TAGS = new Set(['p', 'br', 'em', 'strong', 's', 'a', 'blockquote', 'ul', 'ol', 'li', 'code', 'pre']);

describe('HTML to the comment Markdown subset', () => {
  it('keeps emphasis, links, quotes, lists and code', () => {
    expect(md('<p>Hello <b>bold</b>, <i> spaced </i> and <del>gone</del></p>')).toBe('Hello **bold**, *spaced* and ~~gone~~');
    expect(md('<blockquote><p>one</p><p>two</p></blockquote><p>after</p>')).toBe('> one\n>\n> two\n\nafter');
    expect(md('<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol start="4"><li>d</li></ol>')).toBe('- a\n  - b\n- c\n\n4. d');
    expect(md('<pre><code class="language-ts">let a = `x`;\n```\n</code></pre>')).toBe('````ts\nlet a = `x`;\n```\n````');
    expect(md('<p>use <code>a`b</code></p>')).toBe('use ``a`b``');
    expect(md('<p>a<br>b<br><br>c</p>')).toBe('a\nb\n\nc');
    expect(md('<h2>Title</h2><table><tr><td>x</td><td>y</td></tr></table>')).toBe('**Title**\n\nx | y');
  });

  it('escapes what Markdown would otherwise read as markup, and leaves words alone', () => {
    expect(md('<p>2 * 3 [x] `y` \\ snake_case _lead ~~no~~</p>')).toBe('2 \\* 3 \\[x\\] \\`y\\` \\\\ snake_case \\_lead \\~\\~no\\~\\~');
    expect(md('<p>- not a list</p><p>10. not ordered</p><p>&gt; not a quote</p><p>&amp;amp; &lt;b&gt;</p>')).toBe(
      '\\- not a list\n\n10\\. not ordered\n\n\\> not a quote\n\n\\&amp; \\<b>',
    );
    for (const html of ['<p>2 * 3 [x] `y` snake_case</p>', '<p>- a</p><p>1. b</p><p>&gt; c</p>', '<p>&amp;amp; &lt;script&gt;</p>']) {
      const text = htmlToText(html.replace(/<\/p><p>/g, ' '));
      expect(
        renderMarkdown(md(html))
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim()
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ).toBe(text);
    }
  });

  it('keeps WordPress line breaks: a newline breaks the line, a blank line starts a paragraph', () => {
    expect(md('Row1\nRow2\n\nRow4   here', 'keep')).toBe('Row1\nRow2\n\nRow4 here');
    expect(md('Row1\nRow2\n\nRow4', 'collapse')).toBe('Row1 Row2 Row4');
  });

  it('unwraps Disqus redirects, shows bare addresses as such and drops unsafe links', () => {
    expect(md('<a href="https://disq.us/url?url=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1%3AxYz0123456789&amp;cuid=9">read</a>')).toBe(
      '[read](https://example.org/a?b=1)',
    );
    expect(md('<a href="https://example.org/long/path" title="x">https://example.org/lo...</a>')).toBe('<https://example.org/long/path>');
    expect(md('<a href="javascript:alert(1)">click</a> <a href="/relative">rel</a>')).toBe('click rel');
    expect(md('<img src="https://e.example/p.png" alt="a cat"><script>alert(1)</script><style>p{}</style>')).toBe('[a cat](https://e.example/p.png)');
    expect(md('<a href="https://x.example/a b(c)">x</a>')).toBe('[x](https://x.example/a%20b%28c%29)');
  });

  it('gives nothing for an empty comment', () => {
    expect(md('')).toBe('');
    expect(md('<p>&nbsp;</p><br>')).toBe('');
  });

  it('lets no payload of the XSS corpus through the import path', () => {
    for (const payload of loadPayloads()) {
      const html = renderMarkdown(md(payload));
      for (const [, name, attrs] of html.matchAll(/<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g)) {
        expect(COMMENT_TAGS.has(name!.toLowerCase()), `${payload} → ${html}`).toBe(true);
        expect(/\son\w+\s*=/i.test(attrs!), `${payload} → ${html}`).toBe(false);
        for (const [, url] of attrs!.matchAll(/href="([^"]*)"/g)) expect(url, payload).toMatch(/^(?:https?:\/\/|mailto:)/i);
      }
    }
  });
});

describe('import helpers', () => {
  it('takes a slug from the last meaningful part of a URL', () => {
    expect(slugFromUrl('https://news.example.com/2024/11/night-trains-are-back/')).toBe('night-trains-are-back');
    expect(slugFromUrl('https://news.example.com/2024/11/')).toBe('');
    expect(slugFromUrl('https://news.example.com/story.html?id=3')).toBe('story');
    expect(slugFromUrl('https://news.example.com/Caf%C3%A9-Culture/index.php')).toBe('cafe-culture');
    expect(slugFromUrl('not a url')).toBe('');
  });

  it("reads wpDiscuz's vote meta", () => {
    expect(
      wpdiscuzVotes(
        new Map([
          ['wpdiscuz_votes_seperate', 'a:2:{s:4:"like";i:5;s:7:"dislike";i:-2;}'],
          ['wpdiscuz_votes', '3'],
        ]),
      ),
    ).toEqual({ up: 5, down: 2 });
    expect(wpdiscuzVotes(new Map([['wpdiscuz_votes', '-4']]))).toEqual({ up: 0, down: 4 });
    expect(wpdiscuzVotes(new Map([['other', '1']]))).toBeNull();
  });
});
