// CSRF defence for cookie-authenticated state changes: a custom header a cross-site form cannot set, or an
// Origin that is this server's own. SameSite=Lax already keeps the cookie off cross-site POSTs in current
// browsers; this is the second lock for older browsers and same-site (other subdomain) attackers.
import type { Context } from 'hono';

export const CSRF_HEADER = 'x-fideliza-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The origin the browser sees this server at (behind a trusted proxy: its forwarded scheme and host). */
function ownOrigins(c: Context, trustProxy: boolean): string[] {
  const url = new URL(c.req.url);
  const origins = [url.origin];
  const host = c.req.header('host');
  if (host) origins.push(`${url.protocol}//${host}`);
  if (trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const fwdHost = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ?? host;
    if (proto && fwdHost) origins.push(`${proto}://${fwdHost}`);
  }
  return origins.map((o) => o.toLowerCase());
}

/** True when the request proves it came from our own pages: the CSRF header, or our own Origin. */
export function passesCsrfCheck(c: Context, trustProxy: boolean): boolean {
  if (c.req.header(CSRF_HEADER) === '1') return true;
  const origin = c.req.header('origin')?.toLowerCase();
  return origin !== undefined && origin !== 'null' && ownOrigins(c, trustProxy).includes(origin);
}

/** Whether the request reached us over TLS (X-Forwarded-Proto counts only behind a trusted proxy). */
export function isTls(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}
