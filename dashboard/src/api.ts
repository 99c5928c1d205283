// The dashboard's only HTTP entry: Hono's typed RPC client, typed by the server's own routes (AppType).
import type { AppType } from '@fideliza/server/app';
import { hc } from 'hono/client';

export type Api = ReturnType<typeof hc<AppType>>;

export interface ApiOptions {
  /** Origin of the server; the page's own origin by default (the server serves the dashboard). */
  baseUrl?: string;
  /** A fetch to use instead of the global one (tests). */
  fetch?: typeof fetch;
}

export function createApi({ baseUrl = location.origin, fetch }: ApiOptions = {}): Api {
  return hc<AppType>(baseUrl, fetch ? { fetch } : {});
}

export type ServerStatus = 'ready' | 'unavailable';

/** Asks `GET /readyz`; anything but a 2xx `{ status: 'ready' }` (503, network error, bad body) is unavailable. */
export async function serverStatus(api: Api): Promise<ServerStatus> {
  try {
    const res = await api.readyz.$get();
    if (!res.ok) return 'unavailable';
    const body = await res.json();
    return body.status === 'ready' ? 'ready' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}
