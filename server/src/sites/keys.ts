// Site ids and keys. Keys carry their site id, so a lookup is by primary key and tenants never share an index.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 252 = 7 * 36: bytes above it would bias the alphabet, so they are re-drawn.
  for (let i = 0; out.length < length; i++) {
    const b = i < bytes.length ? (bytes[i] as number) : (randomBytes(1)[0] as number);
    if (b < 252) out += ALPHABET[b % 36];
  }
  return out;
}

export const newSiteId = () => `s${randomToken(15)}`;
export const newWriteKey = (siteId: string) => `wk_${siteId}_${randomToken(24)}`;
export const newSecretKey = (siteId: string) => `sk_${siteId}_${randomToken(32)}`;

/** The site id inside a write or secret key, or null when the key has the wrong shape. */
export function siteIdOfKey(key: string): string | null {
  const match = /^(?:wk|sk)_(s[a-z0-9]{15})_[a-z0-9]{24,32}$/.exec(key);
  return match ? (match[1] as string) : null;
}

/** Secret keys are long random strings, so one fast hash suffices (no password stretching needed). */
export const hashSecretKey = (key: string) => createHash('sha256').update(key).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `https://shop.example/` → `https://shop.example`; throws on anything that is not an http(s) origin. */
export function normalizeOrigin(input: string): string {
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) origin: ${input}`);
  return url.origin;
}
