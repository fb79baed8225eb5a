/**
 * Whether two URLs are probably the same site, the condition for a browser to send Gatehouse's
 * SameSite=Lax session cookie to a hidden iframe embedded by the application: same scheme and
 * same registrable domain; ports do not count (so `localhost:5173` and `localhost:8080` are one
 * site). Without the public suffix list the registrable domain is approximated by the last two
 * labels; IP addresses must be equal. A wrong guess only costs a `login_required` answer, and
 * `checkSession({ iframe })` overrides it.
 */
export function isProbablySameSite(a: URL, b: URL): boolean {
  if (a.protocol !== b.protocol) return false;
  if (a.hostname === b.hostname) return true;
  const isIp = (host: string) => host.includes(':') || /^[\d.]+$/.test(host);
  if (isIp(a.hostname) || isIp(b.hostname)) return false;
  const site = (host: string) => host.split('.').slice(-2).join('.');
  return site(a.hostname) === site(b.hostname) && a.hostname.includes('.');
}
