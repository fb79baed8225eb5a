import type { FastifyReply } from 'fastify';
import type { PendingRefusal } from '../protocol/authorize/flow.js';
import type { PendingAuthorization, Realm, Tenant } from '../protocol/model.js';
import { renderMessagePage } from './pages/message.js';
import { realmLabel } from './realm.js';
import { originsOf } from '../protocol/origins.js';
import { setPageHeaders } from './security.js';

export function sendPage(
  reply: FastifyReply,
  status: number,
  body: string,
  formTargets: readonly string[] = [],
): FastifyReply {
  setPageHeaders(reply, formTargets);
  return reply.code(status).send(body);
}

/** What the person is told when a login or consent page cannot continue its pending request. */
const REFUSAL_PAGES: Readonly<Record<PendingRefusal, { status: number; title: string; message: string }>> = {
  expired: {
    status: 400,
    title: 'This sign-in request has expired',
    message: 'Go back to the application and start signing in again.',
  },
  other_browser: {
    status: 403,
    title: 'Sign-in could not continue',
    message: 'This sign-in request was started in another browser. Go back to the application and try again.',
  },
  form_expired: {
    status: 403,
    title: 'Sign-in could not continue',
    message: 'The form has expired. Go back to the application and try again.',
  },
  unknown_client: { status: 400, title: 'Unknown application', message: 'The application is no longer registered.' },
};

export function sendRefusal(reply: FastifyReply, realm: Realm, tenant: Tenant, reason: PendingRefusal): FastifyReply {
  const page = REFUSAL_PAGES[reason];
  return sendPage(
    reply,
    page.status,
    renderMessagePage({ realmLabel: realmLabel(realm, tenant), title: page.title, message: page.message }),
  );
}

/** The form's answer may redirect to the client, and CSP form-action covers that redirect. */
export function formTargetsFor(pending: PendingAuthorization): string[] {
  return [...originsOf([pending.redirectUri])];
}
