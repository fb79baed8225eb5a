import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AdminError } from '../../admin/errors.js';
import { setNoStore } from '../security.js';

/** One field at fault: a JSON pointer into the request body (or the query parameter's name). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details, as the admin API answers every error. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  500: 'Internal server error',
};

/** RFC 9457 §4.2.1: "about:blank" when the status code says all there is to say. */
export function problem(status: number, detail: string, errors?: readonly FieldError[]): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  setNoStore(reply);
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}

/** An authentication failure with its RFC 6750 §3 challenge. */
export class AdminAuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly challenge: string,
    message: string,
  ) {
    super(message);
  }
}

interface AjvError {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** Ajv's errors as fields: `required` and `additionalProperties` name the property itself. */
export function validationFieldErrors(errors: readonly AjvError[], context: string | undefined): FieldError[] {
  return errors.map((error) => {
    let field = error.instancePath ?? '';
    const missing = error.params?.missingProperty ?? error.params?.additionalProperty;
    if (typeof missing === 'string') field = `${field}/${missing}`;
    if (context === 'querystring' || context === 'params') field = field.replace(/^\//, '');
    return { field: field || '/', message: error.message ?? 'is invalid' };
  });
}

/** The admin API's error handler: every failure becomes problem+json; nothing leaks. */
export function adminErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AdminAuthError) {
    reply.header('WWW-Authenticate', error.challenge);
    return sendProblem(reply, problem(error.status, error.message));
  }
  if (error instanceof AdminError) {
    request.log.info({ adminError: error.name }, error.message);
    return sendProblem(
      reply,
      problem(error.status, error.message, error.field ? [{ field: error.field, message: error.message }] : undefined),
    );
  }
  const fastifyError = error as Partial<FastifyError> & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) {
    const errors = validationFieldErrors(fastifyError.validation, fastifyError.validationContext);
    return sendProblem(reply, problem(400, `the ${fastifyError.validationContext ?? 'request'} is invalid`, errors));
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendProblem(
      reply,
      problem(
        status === 413 || status === 415 ? status : 400,
        'the request body is not valid JSON of an accepted size and type',
      ),
    );
  }
  request.log.error({ err: error }, 'unexpected error in the admin API');
  return sendProblem(reply, problem(500, 'the server could not handle the request'));
}
