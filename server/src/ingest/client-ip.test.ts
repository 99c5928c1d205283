// The client's address: which one is believed, and how much of it is kept.
import { describe, expect, it } from 'vitest';
import { clientIp, truncateIp } from './client-ip.ts';

describe('truncateIp', () => {
  it('keeps the /24 of an IPv4 address', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('10.0.0.1')).toBe('10.0.0.0');
    expect(truncateIp('255.255.255.255')).toBe('255.255.255.0');
  });

  it('keeps the /48 of an IPv6 address, in lower case without leading zeros', () => {
    expect(truncateIp('2001:0DB8:85a3:08d3:1319:8a2e:0370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::');
    // Fewer than three groups before `::`: the missing ones are zero.
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::');
    expect(truncateIp('::1')).toBe('0:0:0::');
    expect(truncateIp('::')).toBe('0:0:0::');
    // A zone id never survives.
    expect(truncateIp('fe80::1%eth0')).toBe('fe80:0:0::');
    // An IPv6 address with an IPv4 tail is still IPv6.
    expect(truncateIp('64:ff9b:1::192.0.2.33')).toBe('64:ff9b:1::');
  });

  it('treats an IPv4-mapped IPv6 address (as Node reports IPv4 peers on a dual-stack socket) as IPv4', () => {
    expect(truncateIp('::ffff:192.0.2.128')).toBe('192.0.2.0');
    expect(truncateIp('::FFFF:198.51.100.9')).toBe('198.51.100.0');
  });

  it('never keeps anything that is not an address', () => {
    for (const garbage of [
      undefined,
      '',
      'unknown',
      'not-an-ip',
      '999.1.1.1',
      '1.2.3',
      '1.2.3.4:8080',
      '[2001:db8::1]',
      ' 1.2.3.4',
      '1.2.3.4; drop table events',
      '2001:db8:::1',
      '::ffff:999.1.1.1',
    ]) {
      expect(truncateIp(garbage)).toBeNull();
    }
  });
});

describe('clientIp', () => {
  it('uses the peer address unless the proxy is trusted', () => {
    expect(clientIp('203.0.113.77', '198.51.100.9', false)).toBe('203.0.113.77');
    expect(clientIp(undefined, '198.51.100.9', false)).toBeUndefined();
  });

  it('behind a trusted proxy takes the first X-Forwarded-For address', () => {
    expect(clientIp('10.0.0.1', '198.51.100.9, 10.0.0.7, 10.0.0.1', true)).toBe('198.51.100.9');
    expect(clientIp('10.0.0.1', '  2001:db8::1 ,10.0.0.1', true)).toBe('2001:db8::1');
  });

  it('falls back to the peer when the trusted header is missing or empty', () => {
    expect(clientIp('10.0.0.1', undefined, true)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', '', true)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', ' , 198.51.100.9', true)).toBe('10.0.0.1');
  });
});
