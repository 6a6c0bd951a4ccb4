import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Large export files written on the spot, streamed so the writer stays small whatever the size.
 * Content is deterministic: the same arguments give the same bytes.
 */

const WORDS =
  'the night train to vienna leaves at nine and arrives before breakfast with a dining car sleepers couchettes timetable fares rail border station platform delay signal coffee'.split(
    ' ',
  );

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
  /** Bytes of the post's own text in each item (the importer reads past it). */
  postBytes?: number;
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
    await write(
      '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Big</title>\n<link>https://big.example.com</link>\n<wp:base_blog_url>https://big.example.com</wp:base_blog_url>\n',
    );
    let n = 0;
    for (let it = 1; it <= shape.items; it++) {
      await write(
        `<item><title>Story ${it}</title><link>https://big.example.com/story-${it}/</link><wp:post_id>${it}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>story-${it}</wp:post_name><content:encoded><![CDATA[<p>${words(it, shape.postBytes ?? 400)}</p>]]></content:encoded>\n`,
      );
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

export interface DisqusShape {
  threads: number;
  /** Bytes of each thread's own text (Disqus exports the page's description). */
  threadBytes: number;
  /** Posts, spread over the threads, every fifth answering the one before. */
  posts: number;
  /** Every n-th post is a comment to keep; the others are spam (exports of busy sites mostly are). */
  keepEvery: number;
}

/** A Disqus export whose threads, as in real ones, far outnumber the pages anyone commented on. */
export async function writeDisqus(file: string, shape: DisqusShape): Promise<void> {
  await streamTo(file, async (write) => {
    await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
    for (let t = 1; t <= shape.threads; t++) {
      await write(
        `<thread dsq:id="t${t}"><id>page-${t}</id><link>https://big.example.com/page-${t}/</link><title>Page number ${t} and its long title</title><message><![CDATA[${words(t, shape.threadBytes)}]]></message><createdAt>2020-01-01T00:00:00Z</createdAt></thread>\n`,
      );
    }
    for (let p = 1; p <= shape.posts; p++) {
      const parent = p % 5 === 0 ? `<parent dsq:id="p${p - 1}"/>` : '';
      await write(
        `<post dsq:id="p${p}"><message><![CDATA[<p>${words(p, 300)}</p>]]></message><createdAt>2020-01-02T00:00:00Z</createdAt><isSpam>${p % shape.keepEvery !== 0}</isSpam><author><email>reader${p % 500}@example.com</email><name>Reader ${p % 500}</name></author><thread dsq:id="t${((p * 7919) % shape.threads) + 1}"/>${parent}</post>\n`,
      );
    }
    await write('</disqus>\n');
  });
}
