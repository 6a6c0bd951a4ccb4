import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Large export files written on the spot, streamed so the writer stays small whatever the size.
 * Content is deterministic: the same arguments give the same bytes.
 */

const WORDS = 'the night train to vienna leaves at nine and arrives before breakfast with a dining car sleepers couchettes timetable fares rail border station platform delay signal coffee'.split(' ');

async function streamTo(file: string, body: (write: (s: string) => Promise<void>) => Promise<void>): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await body(write);
  out.end();
  await once(out, 'finish');
}

function words(seed: number, bytes: number): string {
  let s = '';
  for (let i = seed; s.length < bytes; i = (i * 1103515245 + 12345) % 2147483648) s += `${WORDS[i % WORDS.length]} `;
  return s.trimEnd();
}

export interface WxrShape {
  items: number;
  commentsPerItem: number;
  /** Bytes of text in each comment, roughly. */
  commentBytes: number;
  /** Every n-th comment is spam (0: none). */
  spamEvery?: number;
  /** Number comments through the whole file instead of from 1 in each item. */
  siteWideIds?: boolean;
}

/**
 * A WordPress export: every item has its own posts' comments, numbered from 1 in each item (as
 * some exporters do), each after the first answering the one before.
 */
export async function writeWxr(file: string, shape: WxrShape): Promise<void> {
  await streamTo(file, async (write) => {
    await write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Big</title>\n<link>https://big.example.com</link>\n<wp:base_blog_url>https://big.example.com</wp:base_blog_url>\n');
    let n = 0;
    for (let it = 1; it <= shape.items; it++) {
      await write(`<item><title>Story ${it}</title><link>https://big.example.com/story-${it}/</link><wp:post_id>${it}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>story-${it}</wp:post_name><content:encoded><![CDATA[<p>${words(it, 400)}</p>]]></content:encoded>\n`);
      for (let c = 1; c <= shape.commentsPerItem; c++) {
        n++;
        const spam = shape.spamEvery ? n % shape.spamEvery === 0 : false;
        const id = shape.siteWideIds ? n : c;
        const parent = c === 1 ? 0 : id - 1;
        await write(
          `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Reader ${n % 5000}]]></wp:comment_author><wp:comment_author_email>reader${n % 5000}@example.com</wp:comment_author_email><wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[<p>${words(n, shape.commentBytes)}</p>]]></wp:comment_content><wp:comment_approved>${spam ? 'spam' : '1'}</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>\n`,
        );
      }
      await write('</item>\n');
    }
    await write('</channel>\n</rss>\n');
  });
}
