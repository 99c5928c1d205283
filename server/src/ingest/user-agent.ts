// Browser, OS and device class from a User-Agent string; parsed once per distinct string.
import { UAParser } from 'ua-parser-js';

export interface UserAgentInfo {
  browser: string | null;
  os: string | null;
  deviceType: string | null;
}

const cache = new Map<string, UserAgentInfo>();
const MAX_CACHED = 2000;

export function parseUserAgent(ua: string | undefined): UserAgentInfo {
  if (!ua) return { browser: null, os: null, deviceType: null };
  const hit = cache.get(ua);
  if (hit) return hit;
  const parsed = new UAParser(ua).getResult();
  const info: UserAgentInfo = {
    browser: parsed.browser.name ?? null,
    os: parsed.os.name ?? null,
    // ua-parser leaves desktop browsers without a device type.
    deviceType: parsed.device.type ?? (parsed.browser.name ? 'desktop' : null),
  };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(ua, info);
  return info;
}
