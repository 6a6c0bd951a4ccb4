import { Parser } from 'htmlparser2';

/** Marks page furniture inside an article body (e.g. inline question prompts) that anchors skip. */
export const ANCHOR_IGNORE_ATTR = 'data-anchor-ignore';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * The article's text as the browser's `textContent` of the rendered body gives it, minus ignored
 * furniture. Passage anchors count characters in this text (after `normaliseText`), so server and
 * browser must derive it the same way.
 */
export function articleText(html: string): string {
  let out = '';
  let ignoreDepth = 0;
  let depth = 0;
  const ignoredAt: number[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (VOID.has(name)) return;
        depth++;
        if (ANCHOR_IGNORE_ATTR in attrs) {
          ignoredAt.push(depth);
          ignoreDepth++;
        }
      },
      ontext(text) {
        if (ignoreDepth === 0) out += text;
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        if (ignoredAt.at(-1) === depth) {
          ignoredAt.pop();
          ignoreDepth--;
        }
        depth--;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}
