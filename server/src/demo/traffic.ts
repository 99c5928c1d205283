// What a shop's visitors look like (browsers, screens, locales, referrers) and a seeded PRNG to draw them,
// shared by the demo history and the ingestion benchmark so both send the same kind of traffic.

/** A small fast PRNG (mulberry32): the same sequence for the same 32-bit seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

/** Real User-Agents with their screen and the layout viewport width the page gets (scrollbar taken off). */
export const browsers = [
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    screen: { width: 1920, height: 1080, density: 1 },
    vw: 1903,
  },
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    screen: { width: 390, height: 844, density: 3 },
    vw: 390,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    screen: { width: 412, height: 915, density: 2.625 },
    vw: 412,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    screen: { width: 1512, height: 982, density: 2 },
    vw: 1512,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
    screen: { width: 1366, height: 768, density: 1 },
    vw: 1349,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    screen: { width: 1536, height: 864, density: 1.25 },
    vw: 1519,
  },
  {
    ua: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    screen: { width: 820, height: 1180, density: 2 },
    vw: 820,
  },
] as const;
export type Browser = (typeof browsers)[number];

export const locales = ['es-ES', 'es-ES', 'es-ES', 'ca-ES', 'en-GB', 'pt-PT', 'fr-FR'] as const;

export const referrers = [
  '',
  'https://www.google.com/',
  'https://www.google.es/',
  'https://www.instagram.com/',
  'https://l.facebook.com/',
  'https://www.bing.com/',
] as const;
