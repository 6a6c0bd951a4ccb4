// publisher-sso.mjs: the publisher's side of Parley's single sign-on, runnable as it is
// (Node 20+, `npm install jose`), or copy the handlers into your own server.
//   PARLEY_URL=http://localhost:3000 PARLEY_SSO_SECRET=<Parley's SSO_SECRET> node examples/publisher-sso.mjs
// It serves an article page with the embedded discussion (/), the two routes Parley needs
// (/comments/sign-in for "Sign in" links, /comments/token for the embed) and a stand-in login.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT } from 'jose';

const PARLEY = process.env.PARLEY_URL ?? 'https://comments.example.com'; // Parley's BASE_URL
const AUDIENCE = process.env.PARLEY_SSO_AUDIENCE ?? PARLEY; // Parley's SSO_AUDIENCE (its default is its own origin)
const SECRET = new TextEncoder().encode(process.env.PARLEY_SSO_SECRET); // the same value as Parley's SSO_SECRET
const PORT = Number(process.env.PORT ?? 8080);

// Replace with your own session lookup. Return null when nobody is signed in.
async function currentMember(req) {
  const cookie = req.headers.cookie ?? '';
  if (!/(?:^|;\s*)demo_member=1(?:;|$)/.test(cookie)) return null;
  return { id: 4711, email: 'reader@example.org', emailConfirmed: true, name: 'Rosa Reader', paidUntil: new Date(Date.now() + 30 * 86_400_000) };
}

export async function parleyToken(member) {
  const paid = member.paidUntil && member.paidUntil > new Date();
  return (
    new SignJWT({
      email: member.email,
      // Only if you have confirmed the reader owns the address: Parley may then join a reader's
      // account that already has it to this member; unconfirmed, it refuses rather than guess.
      email_verified: member.emailConfirmed === true,
      name: member.name,
      subscriber: Boolean(paid),
      ...(paid ? { subscriber_until: Math.floor(member.paidUntil.getTime() / 1000) } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(member.id))
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('2m')
      // Required: Parley lets each token id in once, so every token needs a fresh one.
      .setJti(randomUUID())
      .sign(SECRET)
  );
}

const articlePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An article on the publisher's site</title></head>
<body>
  <h1>An article on the publisher's site</h1>
  <p><a href="/login?next=/">Sign in</a> · <a href="/logout">Sign out</a></p>
  <div data-parley-article="publisher-article-1" data-parley-sso-url="/comments/token"></div>
  <script src="${PARLEY}/embed.js" async></script>
</body></html>`;

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://publisher.local');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage);
    return;
  }
  if (url.pathname === '/comments/token') {
    // For the embed (data-parley-sso-url): the token as text, empty when nobody is signed in.
    const member = await currentMember(req);
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(member ? await parleyToken(member) : '');
    return;
  }
  if (url.pathname === '/comments/sign-in') {
    // Parley's own "Sign in" links come here with SSO_LOGIN_URL=<this site>/comments/sign-in?return={return}.
    const back = url.searchParams.get('return') ?? '/';
    const member = await currentMember(req);
    if (!member) {
      // Not signed in with you yet: your login page, then back here.
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` }).end();
      return;
    }
    const token = await parleyToken(member);
    // no-store: the URL carries a credential, however short-lived and single-use.
    res
      .writeHead(302, {
        location: `${PARLEY}/sso?token=${encodeURIComponent(token)}&return=${encodeURIComponent(back)}`,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      })
      .end();
    return;
  }
  if (url.pathname === '/login' || url.pathname === '/logout') {
    // Stand-ins for your real login and logout.
    const next = url.searchParams.get('next') ?? '/';
    const cookie = url.pathname === '/login' ? 'demo_member=1; Path=/; HttpOnly; SameSite=Lax' : 'demo_member=; Path=/; Max-Age=0';
    res.writeHead(302, { 'set-cookie': cookie, location: next.startsWith('/') && !next.startsWith('//') ? next : '/' }).end();
    return;
  }
  res.writeHead(404).end();
}).listen(PORT, () => console.log(`publisher site on http://localhost:${PORT}/`));
