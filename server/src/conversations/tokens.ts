// Visitor tokens (HMAC-signed, site + anonymous id [+ verified user id], expiring) and the shop's user-id HMAC.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface VisitorClaims {
  siteId: string;
  anonymousId: string;
  /** Present only when the shop proved it. */
  userId: string | null;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const payloadSchema = z.object({
  s: z.string().min(1),
  a: z.string().min(1),
  u: z.string().min(1).nullable(),
  e: z.number().int(),
});

export const newSecret = () => randomBytes(32).toString('base64url');

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();

/** `v1.<payload>.<mac>`, both base64url; the mac covers the version and the payload. */
export function signVisitorToken(secret: string, claims: VisitorClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ s: claims.siteId, a: claims.anonymousId, u: claims.userId, e: claims.exp }),
  ).toString('base64url');
  return `v1.${payload}.${mac(secret, `v1.${payload}`).toString('base64url')}`;
}

/** The site a token claims to belong to, read before its signature can be checked (to find the secret). */
export function tokenSiteId(token: string): string | null {
  const payload = readPayload(token);
  return payload?.s ?? null;
}

function readPayload(token: string): z.infer<typeof payloadSchema> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || !parts[1]) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type TokenCheck =
  | { ok: true; claims: VisitorClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Checks shape, signature (constant time) and expiry. */
export function verifyVisitorToken(
  secret: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): TokenCheck {
  const payload = readPayload(token);
  const [, body, signature] = token.split('.');
  if (!payload || !body || !signature) return { ok: false, reason: 'malformed' };
  if (!sameBytes(Buffer.from(signature, 'base64url'), mac(secret, `v1.${body}`))) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (payload.e <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { siteId: payload.s, anonymousId: payload.a, userId: payload.u, exp: payload.e } };
}

/** What the shop's server computes: hex HMAC-SHA256(identitySecret, userId). */
export const userHash = (identitySecret: string, userId: string) =>
  createHmac('sha256', identitySecret).update(userId).digest('hex');

/** Whether `hash` is the shop's HMAC of `userId`; compared in constant time. */
export function verifyUserHash(identitySecret: string, userId: string, hash: string): boolean {
  return sameBytes(Buffer.from(hash.toLowerCase(), 'utf8'), Buffer.from(userHash(identitySecret, userId), 'utf8'));
}

/** timingSafeEqual throws on different lengths; the length of a MAC is public anyway. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
