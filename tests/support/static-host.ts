import { readFileSync } from 'node:fs';
import http from 'node:http';

/**
 * Serves one HTML page from its own origin, standing in for a publisher's site; `routes` answer
 * other paths with text (e.g. the publisher's sign-on token endpoint).
 */
export async function servePage(
  file: string,
  replace: Record<string, string>,
  port = 0,
  hostName = '127.0.0.1',
  routes: Record<string, () => Promise<string>> = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  let html = readFileSync(file, 'utf8');
  for (const [k, v] of Object.entries(replace)) html = html.replaceAll(k, v);
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) {
      void route().then((text) => {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(text);
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const bound = (server.address() as { port: number }).port;
  return { url: `http://${hostName}:${bound}/`, close: () => new Promise((r) => server.close(() => r())) };
}
