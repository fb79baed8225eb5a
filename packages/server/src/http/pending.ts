import type { FastifyReply } from 'fastify';
import type { PendingRefusal } from '../protocol/authorize/flow.js';
import type { PendingAuthorization } from '../protocol/model.js';
import type { MessageKey } from '../i18n/index.js';
import { renderMessagePage } from './pages/message.js';
import type { PageContext } from './pages/page-context.js';
import { originsOf } from '../protocol/origins.js';
import { setPageHeaders } from './security.js';

export function sendPage(
  reply: FastifyReply,
  pc: PageContext,
  status: number,
  body: string,
  formTargets: readonly string[] = [],
): FastifyReply {
  setPageHeaders(reply, formTargets, pc);
  return reply.code(status).send(body);
}

/** A titled message page in the page's language. */
export function sendMessage(
  reply: FastifyReply,
  pc: PageContext,
  status: number,
  title: MessageKey,
  message: MessageKey,
): FastifyReply {
  return sendPage(reply, pc, status, renderMessagePage(pc, pc.t(title), pc.t(message)));
}

/** What the person is told when a login or consent page cannot continue its pending request. */
const REFUSAL_STATUS: Readonly<Record<PendingRefusal, number>> = {
  expired: 400,
  other_browser: 403,
  form_expired: 403,
  unknown_client: 400,
};

export function sendRefusal(reply: FastifyReply, pc: PageContext, reason: PendingRefusal): FastifyReply {
  return sendMessage(reply, pc, REFUSAL_STATUS[reason], `refusal.${reason}_title`, `refusal.${reason}`);
}

/** The form's answer may redirect to the client, and CSP form-action covers that redirect. */
export function formTargetsFor(pending: PendingAuthorization): string[] {
  return [...originsOf([pending.redirectUri])];
}
