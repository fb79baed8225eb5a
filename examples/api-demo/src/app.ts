import { gatehouseAuth, type JwksStore } from '@gatehouse/resource';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createAnswerBook, describeCaller, MAX_QUESTION_LENGTH } from './answers.js';
import type { ApiDemoConfig } from './config.js';
import { registerCors } from './cors.js';

export interface BuildApiDemoOptions {
  /** pino options, or false for none (tests). Default: the configured level. */
  readonly logger?: FastifyServerOptions['logger'];
  /** A key store to use instead of a fresh one (tests inject a fetch through it). */
  readonly jwks?: JwksStore;
}

/**
 * The demo API: `GET /v1/answers` needs `core.aiservices.read`, `POST /v1/answers` needs
 * `core.aiservices.write`, and both accept tokens from the agent and the customer realm.
 */
export function buildApiDemo(config: ApiDemoConfig, options: BuildApiDemoOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, redact: ['req.headers.authorization'] },
  });
  const auth = gatehouseAuth({
    issuers: config.issuers,
    audience: config.audience,
    jwksUri: config.jwksUri,
    ...(config.introspection ? { introspection: config.introspection } : {}),
    ...(options.jwks ? { jwks: options.jwks } : {}),
  });
  const book = createAnswerBook();

  registerCors(app, config.corsOrigins, ['GET', 'POST']);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/v1/answers', { preHandler: auth.requireScopes('core.aiservices.read') }, async (request) => {
    return { caller: describeCaller(request.gatehouse!), answers: book.list() };
  });

  app.post('/v1/answers', { preHandler: auth.requireScopes('core.aiservices.write') }, async (request, reply) => {
    const question = (request.body as { question?: unknown } | undefined)?.question;
    if (typeof question !== 'string' || question.trim() === '' || question.length > MAX_QUESTION_LENGTH) {
      return reply.code(400).send({
        error: 'invalid_request',
        error_description: `question must be a non-empty string of at most ${MAX_QUESTION_LENGTH} characters`,
      });
    }
    const caller = describeCaller(request.gatehouse!);
    return reply.code(201).send({ caller, answer: book.add(question.trim(), caller) });
  });

  return app;
}
