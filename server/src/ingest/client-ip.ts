// The client's IP address, truncated before anything stores or logs it.
import { isIPv4, isIPv6 } from 'node:net';

/** X-Forwarded-For is trusted only behind a proxy the operator vouches for (TRUST_PROXY). */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | undefined, trustProxy: boolean) {
  if (trustProxy && forwardedFor) {
    const first = forwardedFor.split(',')[0]?.trim();
    if (first) return first;
  }
  return remoteAddress;
}

/** IPv4 keeps its /24, IPv6 its /48; anything else becomes null. */
export function truncateIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? (mapped[1] as string) : ip;
  if (isIPv4(v4)) return `${v4.slice(0, v4.lastIndexOf('.'))}.0`;
  if (!isIPv6(ip)) return null;
  const [head = ''] = ip.split('::');
  const groups = ip.includes('::') ? head.split(':').filter(Boolean) : ip.split(':');
  while (groups.length < 3) groups.push('0');
  return `${groups
    .slice(0, 3)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::`;
}
