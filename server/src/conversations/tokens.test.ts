// Token and HMAC primitives: signatures, expiry, and that every comparison goes through timingSafeEqual.
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isOpen } from './hours.ts';
import { signVisitorToken, userHash, verifyUserHash, verifyVisitorToken } from './tokens.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: vi.fn((a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => actual.timingSafeEqual(a, b)),
  };
});

const now = 1_800_000_000;
const claims = { siteId: 'sabc', anonymousId: 'anon', userId: 'u1', exp: now + 60 };

describe('visitor tokens', () => {
  beforeEach(() => {
    vi.mocked(crypto.timingSafeEqual).mockClear();
  });

  it('round-trips claims and refuses any change, another secret, or expiry', () => {
    const token = signVisitorToken('secret', claims);
    expect(verifyVisitorToken('secret', token, now)).toEqual({ ok: true, claims });
    expect(vi.mocked(crypto.timingSafeEqual).mock.calls.length).toBe(1);
    expect(verifyVisitorToken('other', token, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyVisitorToken('secret', token, now + 60)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyVisitorToken('secret', `${token}x`, now).ok).toBe(false);
    const [v, payload, sig] = token.split('.') as [string, string, string];
    const edited = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), a: 'other' }),
    ).toString('base64url');
    expect(verifyVisitorToken('secret', `${v}.${edited}.${sig}`, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyVisitorToken('secret', `v2.${payload}.${sig}`, now)).toEqual({ ok: false, reason: 'malformed' });
    for (const junk of ['', 'a.b', 'v1..', 'v1.!!.x', `v1.${Buffer.from('[]').toString('base64url')}.x`]) {
      expect(verifyVisitorToken('secret', junk, now).ok).toBe(false);
    }
  });
});

describe('user hash (the shop proves a user id)', () => {
  beforeEach(() => {
    vi.mocked(crypto.timingSafeEqual).mockClear();
  });

  it('is hex HMAC-SHA256 of the user id under the identity secret, checked in constant time', () => {
    const expected = crypto.createHmac('sha256', 'idsecret').update('cust-1').digest('hex');
    expect(userHash('idsecret', 'cust-1')).toBe(expected);
    expect(verifyUserHash('idsecret', 'cust-1', expected)).toBe(true);
    expect(verifyUserHash('idsecret', 'cust-1', expected.toUpperCase())).toBe(true);
    expect(vi.mocked(crypto.timingSafeEqual).mock.calls.length).toBe(2);
    expect(verifyUserHash('idsecret', 'cust-2', expected)).toBe(false);
    expect(verifyUserHash('other', 'cust-1', expected)).toBe(false);
    expect(verifyUserHash('idsecret', 'cust-1', expected.slice(0, 63))).toBe(false);
  });
});

describe('business hours', () => {
  const base = { requireUserHash: false, awayMessage: '' };
  it('are always open with no hours, and follow the site time zone', () => {
    expect(isOpen({ ...base, timezone: 'UTC', hours: [] })).toBe(true);
    const weekdays = {
      ...base,
      timezone: 'Europe/Madrid',
      hours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
    };
    // Monday 2026-11-23 08:30 UTC is 09:30 in Madrid (UTC+1 in winter): open.
    expect(isOpen(weekdays, new Date('2026-11-23T08:30:00Z'))).toBe(true);
    // 07:30 UTC is 08:30 in Madrid: closed, though it would be open in UTC+2.
    expect(isOpen(weekdays, new Date('2026-11-23T07:30:00Z'))).toBe(false);
    // 17:00 UTC is 18:00 in Madrid: `to` is exclusive.
    expect(isOpen(weekdays, new Date('2026-11-23T17:00:00Z'))).toBe(false);
    // Saturday.
    expect(isOpen(weekdays, new Date('2026-11-28T10:00:00Z'))).toBe(false);
    // Sunday 23:30 UTC is already Monday 00:30 in Madrid.
    const mondayEarly = { ...weekdays, hours: [{ days: [1], from: '00:00', to: '01:00' }] };
    expect(isOpen(mondayEarly, new Date('2026-11-22T23:30:00Z'))).toBe(true);
  });
});
