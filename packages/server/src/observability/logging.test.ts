import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { loggingOptions, redactUrl } from './logging.js';

describe('redactUrl', () => {
  it('keeps the path and the values of harmless authorization parameters', () => {
    expect(redactUrl('/system/auth/T-U/oauth2/authorize?client_id=abc&response_type=code&scope=openid+x')).toBe(
      '/system/auth/T-U/oauth2/authorize?client_id=abc&response_type=code&scope=openid+x',
    );
  });

  it('replaces id_token_hint, code, state, request ids and any unknown parameter (issue 10)', () => {
    expect(redactUrl('/logout?id_token_hint=eyJ.a.b&client_id=abc&state=s3cr3t&request=r1&code=c0de&new=1')).toBe(
      '/logout?id_token_hint=[REDACTED]&client_id=abc&state=[REDACTED]&request=[REDACTED]&code=[REDACTED]&new=[REDACTED]',
    );
  });

  it('leaves a URL without a query alone', () => {
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});

describe('request loggers (lazyChildLoggerFactory)', () => {
  async function appLoggingAt(level: string) {
    const stream = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    });
    const app = Fastify(loggingOptions(level, stream));
    app.get('/quiet', async (request) => {
      request.log.info('only at info');
      return 'ok';
    });
    app.get('/loud', async (request) => {
      request.log.info('only at info');
      request.log.warn({ refresh_token: 'rt-secret' }, 'a warning');
      request.log.warn('another warning');
      return 'ok';
    });
    await app.ready();
    return { app, lines };
  }

  it('makes no child logger for a request that writes nothing at the level', async () => {
    const { app, lines } = await appLoggingAt('warn');
    const child = vi.spyOn(app.log, 'child');
    const response = await app.inject({ method: 'GET', url: '/quiet' });
    expect(response.statusCode).toBe(200);
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
    await app.close();
  });

  it('writes the lines it does log with the request id and redaction, through one child', async () => {
    const { app, lines } = await appLoggingAt('warn');
    const child = vi.spyOn(app.log, 'child');
    const response = await app.inject({ method: 'GET', url: '/loud' });
    expect(response.statusCode).toBe(200);
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => line.msg)).toEqual(['a warning', 'another warning']);
    expect(typeof lines[0].reqId).toBe('string');
    expect(lines[1].reqId).toBe(lines[0].reqId);
    expect(lines[0].refresh_token).toBe('[REDACTED]');
    await app.close();
  });

  it('at info writes the request lines and the route lines, all with one request id', async () => {
    const { app, lines } = await appLoggingAt('info');
    await app.inject({ method: 'GET', url: '/quiet' });
    const messages = lines.map((line) => line.msg);
    expect(messages).toEqual(['incoming request', 'only at info', 'request completed']);
    expect(new Set(lines.map((line) => line.reqId)).size).toBe(1);
    await app.close();
  });
});
