/**
 * Where the console runs, read once at start-up. The server adds to index.html a `<base href>`
 * (`{publicPath}/admin/`) and a `gatehouse-public-url` meta tag holding its configured public
 * URL, so every URL below is the one the server itself uses as issuer and redirect URI.
 */

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function readPublicUrl(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="gatehouse-public-url"]');
  if (meta?.content) return trimSlash(meta.content);
  // Served without the server's tag (e.g. a dev server): the console sits at {publicUrl}/admin/.
  return trimSlash(new URL('..', document.baseURI).href);
}

const publicUrl = readPublicUrl();

export const config = Object.freeze({
  publicUrl,
  /** Path of the console's root, e.g. `/admin/`; routes are relative to it. */
  basePath: new URL(`${publicUrl}/admin/`).pathname,
  /** The reserved tenant's agent realm signs in administrators. */
  issuer: `${publicUrl}/system/auth/GATEHOUSE-U`,
  clientId: 'gatehouse-console',
  scope: 'openid gatehouse.admin',
  redirectUri: `${publicUrl}/admin/callback`,
  postLogoutRedirectUri: `${publicUrl}/admin/`,
  apiBase: `${publicUrl}/admin/api/v1`,
});
