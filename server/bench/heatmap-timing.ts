// Times the four /api/heatmaps queries through the app in-process (secret key, zod, SQL, JSON; no socket).
import type { RequestFn } from '../src/demo/ingest.ts';
import type { DeviceClass } from '../src/heatmaps/index.ts';
import { type Latency, timeRuns } from './stats.ts';

export interface HeatmapQueryOptions {
  secretKey: string;
  /** Inclusive UTC days, YYYY-MM-DD. */
  from: string;
  to: string;
  runs: number;
  /** The page of each run (drawn by popularity, as the dashboard's users open them). */
  nextPath: () => string;
  nextDevice: () => DeviceClass;
}

export async function timeHeatmapQueries(
  request: RequestFn,
  o: HeatmapQueryOptions,
): Promise<Array<{ name: string; latency: Latency }>> {
  const range = `from=${o.from}&to=${o.to}`;
  const path = () => encodeURIComponent(o.nextPath());
  const urls: Record<string, () => string> = {
    clicks: () => `clicks?path=${path()}&device=${o.nextDevice()}&${range}`,
    selectors: () => `selectors?path=${path()}&${range}&limit=20`,
    scroll: () => `scroll?path=${path()}&${range}`,
    pages: () => `pages?${range}&limit=50`,
  };
  const headers = { authorization: `Bearer ${o.secretKey}` };
  const results: Array<{ name: string; latency: Latency }> = [];
  for (const [name, url] of Object.entries(urls)) {
    const latency = await timeRuns(
      async () => {
        const res = await request(`/api/heatmaps/${url()}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`heatmaps ${name}: HTTP ${res.status}`);
      },
      { runs: o.runs },
    );
    results.push({ name, latency });
  }
  return results;
}
