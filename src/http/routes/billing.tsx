import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { messages } from '../../messages.js';
import { SubscribePage } from '../../render/pages/SubscribePage.js';
import type { Accounts } from '../../services/accounts.js';
import { PLANS, type Billing, type Plan } from '../../services/billing.js';
import { formErrorPages } from '../form-errors.js';
import { returnLocation } from '../locations.js';
import { sendPage } from '../render.js';
import { errors, SIGNED_IN_WRITE } from '../schemas.js';
import { stringField } from '../request-fields.js';
import type { TypedApp } from '../typed-app.js';

const PlanSchema = Type.Union(PLANS.map((p) => Type.Literal(p)));

/** Checkout as JSON for the widget, and the Stripe webhook. */
export async function billingApiRoutes(app: TypedApp, opts: { billing: Billing }) {
  const { billing } = opts;

  app.post('/billing/checkout', {
    schema: {
      operationId: 'startCheckout',
      tags: ['billing'],
      security: SIGNED_IN_WRITE,
      summary: 'Start a Stripe Checkout Session for a plan (signed in); returns the URL to send the reader to',
      body: Type.Object({ plan: PlanSchema, returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ url: Type.String() }), ...errors(400, 401, 409, 502, 503) },
    },
    handler: async (req) => {
      const b = req.body;
      return { url: await billing.checkout(req.actor, b.plan, b.returnTo) };
    },
  });

  app.post('/billing/portal', {
    schema: {
      operationId: 'openBillingPortal',
      tags: ['billing'],
      security: SIGNED_IN_WRITE,
      summary: 'Open the Stripe customer portal (signed in); returns its URL',
      body: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ url: Type.String() }), ...errors(400, 401, 404, 502, 503) },
    },
    handler: async (req) => ({ url: await billing.portal(req.actor, req.body.returnTo) }),
  });

  // Its own plugin, so that only this route keeps the body as raw bytes: the signature covers them exactly.
  await app.register(async (hook) => {
    hook.removeContentTypeParser('application/json');
    hook.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    hook.post('/billing/stripe/webhook', {
      config: { csrfExempt: true },
      schema: {
        operationId: 'receiveStripeWebhook',
        tags: ['billing'],
        summary: 'Stripe webhook endpoint (verified with the endpoint signing secret)',
        response: {
          200: Type.Object({ received: Type.Boolean(), duplicate: Type.Optional(Type.Boolean()), ignored: Type.Optional(Type.Boolean()) }),
          ...errors(400, 503),
        },
      },
      handler: async (req) => {
        const sig = req.headers['stripe-signature'];
        if (!Buffer.isBuffer(req.body)) throw new AppError(400, 'signature_invalid', messages.errors.signature_invalid);
        return billing.handleWebhook(req.body, typeof sig === 'string' ? sig : undefined);
      },
    });
  });
}

/** The subscribe page and its no-JavaScript forms. */
export async function billingPageRoutes(app: TypedApp, opts: { billing: Billing; config: Config; accounts: Accounts }) {
  const { billing, config } = opts;
  const deps = { config, accounts: opts.accounts };
  formErrorPages(app, deps);
  const field = (req: FastifyRequest, name: string) => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : undefined;
  };

  const page = async (req: FastifyRequest, reply: FastifyReply, returnTo: string, error?: { status: number; message: string }) => {
    const state = req.actor ? await billing.state(req.actor) : null;
    // The tab's title says what the page's heading says: a subscriber is not asked to become one.
    const title = state && state.kind !== 'none' ? messages.billing.headingSubscribed : messages.billing.heading;
    return sendPage(
      req,
      reply,
      deps,
      { title, status: error?.status },
      <SubscribePage
        publication={config.PUBLICATION_NAME}
        timeZone={config.PUBLICATION_TIMEZONE}
        returnTo={returnTo}
        signedIn={req.actor !== null}
        csrfToken={req.csrfToken}
        state={state}
        plans={billing.plans()}
        error={error?.message}
      />,
    );
  };

  /** Runs a redirecting action; a failure the reader can act on re-renders the page with its message. */
  const redirectOr = async (req: FastifyRequest, reply: FastifyReply, returnTo: string, action: () => Promise<string>) => {
    try {
      return reply.redirect(await action(), 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return page(req, reply, returnTo, { status: err.status, message: err.message });
    }
  };

  app.get('/subscribe', async (req, reply) => {
    const returnTo = returnLocation(stringField(req.query, 'return'));
    // Publishers who sell memberships themselves (and sign readers on with SSO) take them there.
    if (config.SUBSCRIBE_URL) return reply.redirect(config.SUBSCRIBE_URL.replace('{return}', encodeURIComponent(returnTo)), 303);
    return page(req, reply, returnTo);
  });

  app.post('/subscribe/checkout', async (req, reply) => {
    const returnTo = returnLocation(field(req, 'returnTo'));
    if (!req.actor) return reply.redirect(`/signin?return=${encodeURIComponent(`/subscribe?return=${encodeURIComponent(returnTo)}`)}`, 303);
    const plan = field(req, 'plan');
    if (!PLANS.includes(plan as Plan)) return page(req, reply, returnTo, { status: 400, message: messages.errors.plan_unavailable });
    return redirectOr(req, reply, returnTo, () => billing.checkout(req.actor, plan as Plan, returnTo));
  });

  app.post('/billing/portal', async (req, reply) => {
    const returnTo = returnLocation(field(req, 'returnTo'));
    if (!req.actor) return reply.redirect(`/signin?return=${encodeURIComponent(returnTo)}`, 303);
    return redirectOr(req, reply, returnTo, () => billing.portal(req.actor, returnTo));
  });
}
