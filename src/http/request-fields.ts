/**
 * One string field of a request part no schema declares: the query of pages reached by links in
 * mail or from other sites, which must not answer a stray parameter with a 400, and the body of
 * plain HTML forms. Its value when given once; undefined when absent, repeated (`?a=1&a=2` parses
 * to an array) or not a string.
 */
export function stringField(source: unknown, name: string): string | undefined {
  if (!source || typeof source !== 'object') return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(source, name)?.value;
  return typeof value === 'string' ? value : undefined;
}
