import { describe, expect, it } from 'vitest';
import { findMentions, MAX_MENTIONS, mentionCandidates, type Participant } from '../../src/domain/mentions.js';
import { renderComment } from '../../src/render/markdown.js';
import { loadPayloads } from '../support/xss.js';

const who = (userId: number, name: string, commentId = userId * 10): Participant => ({ userId, name, commentId });

describe('mentions (pure)', () => {
  it('finds the longest participant name after a free-standing @, ending at a word end', () => {
    const ps = [who(1, 'Ada'), who(2, 'Ada Lovelace'), who(3, 'Bob')];
    const spans = findMentions('@Ada Lovelace, @Ada and @Bobby; mail@Bob', ps);
    expect(spans.map((s) => [s.who.userId, s.start, s.end])).toEqual([
      [2, 0, 13],
      [1, 15, 19],
    ]);
  });

  it('offers the store every way a name could end, and nothing for an @ inside a word', () => {
    expect(mentionCandidates('hi @Ada Lovelace!')).toEqual(expect.arrayContaining(['Ada', 'Ada Lovelace', 'Ada Lovelace!']));
    expect(mentionCandidates('ada@example.com')).toEqual([]);
    expect(mentionCandidates('@Cy <b>Young</b> ok')).toContain('Cy <b>Young</b>');
  });

  it('links at most MAX_MENTIONS and reports each reader once', () => {
    const ps = [who(1, 'Ada')];
    const text = Array.from({ length: MAX_MENTIONS + 3 }, () => '@Ada').join(' ');
    const { html, mentioned } = renderComment(text, ps);
    expect(html.match(/class="parley-mention"/g)).toHaveLength(MAX_MENTIONS);
    expect(mentioned).toEqual([ps[0]]);
  });

  it('keeps every XSS payload inert as a participant name', () => {
    for (const [i, payload] of loadPayloads().entries()) {
      const name = payload.replace(/\s+/g, ' ').trim().slice(0, 60);
      if (!name || /^\s/.test(name)) continue;
      const { html } = renderComment(`hello @${name} bye`, [who(i + 1, name)]);
      // Only the markdown subset's tags, and a mention's link is exactly href + class.
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? [])
        expect(tag, payload).toMatch(
          /^<((p|br|em|strong|s|code|pre|blockquote|ul|ol|li)|a href="#comment-\d+" class="parley-mention"|a href="[^"]*" rel="nofollow ugc noopener")>$/,
        );
      // What a payload says stays text: no tag carries a handler or a script address.
      expect((html.match(/<[a-z][^>]*>/gi) ?? []).join(''), payload).not.toMatch(/<script|onerror=|javascript:/i);
    }
  });
});
