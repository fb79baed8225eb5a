import http from 'node:http';

/**
 * The load generator's HTTP client: node:http over a keep-alive agent (one socket per virtual
 * user at most), no redirects followed (every redirect is checked by the flow), bodies read as
 * strings. Cheap per request so the generator's core is spent on requests, not on the client.
 */
export function createClient(origin, maxSockets) {
  const { hostname, port } = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });

  /** Sends one request; resolves { status, headers, body }. `path` is origin-relative. */
  function request(method, path, { body, cookie, headers } = {}) {
    return new Promise((resolve, reject) => {
      const requestHeaders = { ...headers };
      if (body !== undefined) {
        requestHeaders['content-type'] = 'application/x-www-form-urlencoded';
        requestHeaders['content-length'] = Buffer.byteLength(body);
      }
      if (cookie) requestHeaders.cookie = cookie;
      const req = http.request({ hostname, port, method, path, agent, headers: requestHeaders }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return { request, close: () => agent.destroy() };
}

/** A browser's cookie jar for one virtual user: names only (one host, paths ignored). */
export class CookieJar {
  #cookies = new Map();

  /** Takes the Set-Cookie headers of a response. */
  store(headers) {
    const list = headers['set-cookie'];
    if (!list) return;
    for (const line of list) {
      const semi = line.indexOf(';');
      const first = semi < 0 ? line : line.slice(0, semi);
      const eq = first.indexOf('=');
      if (eq < 0) continue;
      const name = first.slice(0, eq).trim();
      const value = first.slice(eq + 1).trim();
      if (value === '' || /;\s*max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line))
        this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    if (this.#cookies.size === 0) return undefined;
    let out = '';
    for (const [name, value] of this.#cookies) out += `${out ? '; ' : ''}${name}=${value}`;
    return out;
  }
}
