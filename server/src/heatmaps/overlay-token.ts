// Heatmap overlay tokens: what a staff member hands to the live page (in its URL fragment) so the overlay can
// read one page's heatmap without a session. HMAC-SHA256 with the site's own key over site, path, days and expiry.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';

/** Long enough to open the page and look around; a leaked link is soon worthless. */
export const OVERLAY_TOKEN_TTL_SECONDS = 15 * 60;

export interface OverlayClaims {
  siteId: string;
  path: string;
  from: string;
  to: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const payloadSchema = z.object({
  s: z.string().min(1),
  p: z.string().startsWith('/'),
  f: z.string(),
  t: z.string(),
  e: z.number().int(),
});

const VERSION = 'hm1';
const mac = (key: string, data: string) => createHmac('sha256', key).update(data).digest();

/** `hm1.<payload>.<mac>`, both base64url; the mac covers the version and the payload. */
export function signOverlayToken(key: string, c: OverlayClaims): string {
  const payload = Buffer.from(JSON.stringify({ s: c.siteId, p: c.path, f: c.from, t: c.to, e: c.exp })).toString(
    'base64url',
  );
  return `${VERSION}.${payload}.${mac(key, `${VERSION}.${payload}`).toString('base64url')}`;
}

/** The claims as written, before the signature is checked (the site names the key to check it with). */
export function readOverlayToken(token: string): OverlayClaims | null {
  const [version, payload, signature, ...rest] = token.split('.');
  if (version !== VERSION || !payload || !signature || rest.length) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const { s, p, f, t, e } = parsed.data;
    return { siteId: s, path: p, from: f, to: t, exp: e };
  } catch {
    return null;
  }
}

export type OverlayCheck =
  | { ok: true; claims: OverlayClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Checks shape, signature (in constant time) and expiry. */
export function verifyOverlayToken(key: string, token: string, nowSeconds: number): OverlayCheck {
  const claims = readOverlayToken(token);
  if (!claims) return { ok: false, reason: 'malformed' };
  const [version, payload, signature] = token.split('.');
  const given = Buffer.from(signature ?? '', 'base64url');
  const expected = mac(key, `${version}.${payload}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** The site's signing key, created on first use (two first requests may race: both read the winner's row). */
export async function overlayKey(db: Kysely<Database>, siteId: string): Promise<string> {
  const read = () =>
    db.selectFrom('heatmap_overlay_keys').select('secret').where('site_id', '=', siteId).executeTakeFirst();
  const found = await read();
  if (found) return found.secret;
  await db
    .insertInto('heatmap_overlay_keys')
    .values({ site_id: siteId, secret: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
  const row = await read();
  if (!row) throw new Error(`no overlay key for site ${siteId}`);
  return row.secret;
}
