// The dashboard's only HTTP entry: Hono's typed RPC client, typed by the server's own routes (AppType).
import type { AppType } from '@fideliza/server/app';
import { type ClientResponse, DetailedError, hc, parseResponse } from 'hono/client';

export type Api = ReturnType<typeof hc<AppType>>;

export interface ApiOptions {
  /** Origin of the server; the page's own origin by default (the server serves the dashboard). */
  baseUrl?: string;
  /** A fetch to use instead of the global one (tests). */
  fetch?: typeof fetch;
  /** The site the staff user works on now, sent with every request (the server checks membership). */
  siteId?: () => string | undefined;
}

export function createApi({ baseUrl = location.origin, fetch, siteId = () => undefined }: ApiOptions = {}): Api {
  return hc<AppType>(baseUrl, {
    ...(fetch ? { fetch } : {}),
    headers: (): Record<string, string> => {
      const site = siteId();
      // The CSRF header is harmless on reads and required on writes: send it always.
      return site ? { 'x-fideliza-csrf': '1', 'x-fideliza-site': site } : { 'x-fideliza-csrf': '1' };
    },
  });
}

/** A refused request, with the server's machine-readable code and its readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const errorBody = (body: unknown): { code?: unknown; message?: unknown; field?: unknown } => {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : body;
  return typeof error === 'object' && error !== null ? error : {};
};

/** Called on every 401 (the session ended): the shell goes back to the login form. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/**
 * Sends a typed request and returns its 2xx body; anything else becomes an ApiError with the server's
 * message (a network failure becomes status 0), so pages have one shape of failure to show.
 */
// biome-ignore lint/suspicious/noExplicitAny: the constraint parseResponse itself declares.
export async function call<T extends ClientResponse<any>>(request: T | Promise<T>) {
  try {
    return await parseResponse(request);
  } catch (error) {
    if (error instanceof DetailedError) {
      const status = error.statusCode ?? 0;
      if (status === 401) onSignedOut();
      const body = errorBody(error.detail?.data);
      throw new ApiError(
        status,
        typeof body.code === 'string' ? body.code : 'http_error',
        typeof body.message === 'string' ? body.message : error.message,
        typeof body.field === 'string' ? body.field : undefined,
      );
    }
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
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
