import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One API call the SDK made, with its form-encoded body decoded to flat `a[b][c]` keys. */
export interface StripeCall {
  method: string;
  path: string;
  form: Record<string, string>;
}

/**
 * A stand-in for api.stripe.com on 127.0.0.1, answering the few calls Parley makes. The real SDK
 * talks to it (STRIPE_API_URL), so requests are built and parsed exactly as in production.
 */
export class FakeStripe {
  readonly calls: StripeCall[] = [];
  readonly subscriptions = new Map<string, Record<string, unknown>>();
  private server: Server | null = null;
  private n = 0;

  async start(): Promise<string> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req).then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++this.n}` });
          res.end(JSON.stringify(body));
        }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? '').split('?')[0]!;
    const form = Object.fromEntries(new URLSearchParams(raw));
    this.calls.push({ method: req.method ?? '', path, form });
    if (!String(req.headers.authorization ?? '').startsWith('Bearer sk_test_')) return [401, { error: { type: 'invalid_request_error', message: 'bad key' } }];
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      const id = `cs_test_${++this.n}`;
      return [200, { id, object: 'checkout.session', mode: form.mode, url: `https://checkout.stripe.com/c/pay/${id}` }];
    }
    if (req.method === 'POST' && path === '/v1/billing_portal/sessions') {
      return [
        200,
        { id: `bps_${++this.n}`, object: 'billing_portal.session', customer: form.customer, url: `https://billing.stripe.com/p/session/${form.customer}` },
      ];
    }
    const sub = /^\/v1\/subscriptions\/([\w-]+)$/.exec(path);
    if (req.method === 'GET' && sub) {
      const found = this.subscriptions.get(sub[1]!);
      return found ? [200, found] : [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such subscription' } }];
    }
    return [404, { error: { type: 'invalid_request_error', message: `unknown route ${req.method} ${path}` } }];
  }
}
