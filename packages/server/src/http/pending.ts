import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Client, PendingAuthorization, Realm, Tenant } from '../protocol/model.js';
import { constantTimeEqual } from '../protocol/secrets.js';
import { browserHashOf } from './authorization-flow.js';
import type { AppContext } from '../context.js';
import { renderMessagePage } from './pages/message.js';
import { realmLabel } from './realm.js';
import { originsOf, setPageHeaders } from './security.js';

export type PendingLookup =
  | { readonly ok: true; readonly pending: PendingAuthorization; readonly client: Client }
  | { readonly ok: false; readonly status: number; readonly title: string; readonly message: string };

/**
 * Finds the pending authorization a login or consent page works on and checks that this browser
 * started it; for form posts also that the CSRF token is the one issued with it. The request's
 * client, redirect_uri and scopes come only from the server-side record, never from the form.
 */
export async function loadPending(
  ctx: AppContext,
  request: FastifyRequest,
  realm: Realm,
  requestId: string | undefined,
  csrfToken: string | null,
): Promise<PendingLookup> {
  const pending = requestId
    ? await ctx.repos.pendingAuthorizations.findOpen(requestId, realm.id, ctx.clock.nowSeconds())
    : undefined;
  if (!pending) {
    return {
      ok: false,
      status: 400,
      title: 'This sign-in request has expired',
      message: 'Go back to the application and start signing in again.',
    };
  }
  const browserHash = browserHashOf(request);
  if (!browserHash || !constantTimeEqual(browserHash, pending.browserHash)) {
    return {
      ok: false,
      status: 403,
      title: 'Sign-in could not continue',
      message: 'This sign-in request was started in another browser. Go back to the application and try again.',
    };
  }
  if (csrfToken !== null && !constantTimeEqual(csrfToken, pending.csrfToken)) {
    return {
      ok: false,
      status: 403,
      title: 'Sign-in could not continue',
      message: 'The form has expired. Go back to the application and try again.',
    };
  }
  const client = await ctx.repos.clients.findById(pending.clientId);
  if (!client)
    return {
      ok: false,
      status: 400,
      title: 'Unknown application',
      message: 'The application is no longer registered.',
    };
  return { ok: true, pending, client };
}

export function sendPage(
  reply: FastifyReply,
  status: number,
  body: string,
  formTargets: readonly string[] = [],
): FastifyReply {
  setPageHeaders(reply, formTargets);
  return reply.code(status).send(body);
}

export function sendLookupFailure(
  reply: FastifyReply,
  realm: Realm,
  tenant: Tenant,
  failure: Extract<PendingLookup, { ok: false }>,
): FastifyReply {
  return sendPage(
    reply,
    failure.status,
    renderMessagePage({ realmLabel: realmLabel(realm, tenant), title: failure.title, message: failure.message }),
  );
}

/** The form's answer may redirect to the client, and CSP form-action covers that redirect. */
export function formTargetsFor(pending: PendingAuthorization): string[] {
  return [...originsOf([pending.redirectUri])];
}
