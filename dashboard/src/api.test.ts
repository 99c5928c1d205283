// The typed client sends the site and the CSRF header; `call` turns refusals into ApiError with the server's words.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, call, createApi, whenSignedOut } from './api.ts';

const client = (fetch: typeof globalThis.fetch, site?: string) =>
  createApi({ baseUrl: 'http://fideliza.test', fetch, siteId: () => site });

describe('api', () => {
  it('names the site and sends the CSRF header with every request', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => Response.json({ user: {}, sites: [] }));
    await call(client(fetch, 'site_1').api.auth.me.$get());
    const req = new Request(...(fetch.mock.calls[0] as [RequestInfo, RequestInit]));
    expect(req.headers.get('x-fideliza-site')).toBe('site_1');
    expect(req.headers.get('x-fideliza-csrf')).toBe('1');
  });

  it('throws the server refusal as an ApiError and reports a 401 as signed out', async () => {
    const signedOut = vi.fn();
    whenSignedOut(signedOut);
    const refuse = (status: number) =>
      vi.fn<typeof globalThis.fetch>(async () =>
        Response.json({ error: { code: 'role_not_allowed', message: 'your role may not', field: 'x' } }, { status }),
      );
    const error = await call(client(refuse(403)).api.auth.me.$get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'role_not_allowed', message: 'your role may not', field: 'x' });
    expect(signedOut).not.toHaveBeenCalled();
    await call(client(refuse(401)).api.auth.me.$get()).catch(() => undefined);
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(call(client(fetch).api.auth.me.$get())).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
