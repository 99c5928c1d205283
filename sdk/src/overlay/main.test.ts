// @vitest-environment happy-dom
// The live-page overlay: asks for this window's device class with the token, says what it shows or why not,
// goes away when closed, and starts only from a heatmap link (which also stops the page's own recording).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceOf, showOverlay } from './main.ts';

const grid = {
  path: '/demo/p/p-101',
  from: '2026-03-01',
  to: '2026-03-31',
  device: 'desktop',
  expiresAt: '2026-03-31T10:15:00.000Z',
  columns: 50,
  clicks: 3,
  rage: 0,
  cells: [{ x: 25, y: 4, clicks: 3, rage: 0 }],
};

const panel = () => document.getElementById('fideliza-heatmap')?.shadowRoot;
const status = () => panel()?.querySelector('p')?.textContent;

afterEach(() => {
  document.getElementById('fideliza-heatmap')?.remove();
  document.getElementById('fideliza-heatmap-canvas')?.remove();
  vi.unstubAllGlobals();
  location.hash = '';
});

describe('heatmap overlay', () => {
  it('files the window under the device classes the server uses', () => {
    expect([375, 767, 768, 1023, 1024, 1920].map(deviceOf)).toEqual([
      'mobile',
      'mobile',
      'tablet',
      'tablet',
      'desktop',
      'desktop',
    ]);
  });

  it('trades the token for the grid of this window’s device and says what it shows', async () => {
    const fetch = vi.fn(async (_url: string) => Response.json(grid));
    vi.stubGlobal('fetch', fetch);
    showOverlay('https://fz.example', 'hm1.abc.def');
    expect(status()).toBe('Loading the heatmap…');
    await vi.waitFor(() => expect(status()).toBe('/demo/p/p-101 · 3 clicks on desktop, 2026-03-01 to 2026-03-31.'));
    const url = new URL(fetch.mock.calls[0]![0]);
    expect(url.origin + url.pathname).toBe('https://fz.example/v1/heatmap-overlay');
    expect(Object.fromEntries(url.searchParams)).toEqual({ token: 'hm1.abc.def', device: deviceOf(innerWidth) });
    // The heat covers the whole document and never takes a click from the page.
    const canvas = document.getElementById('fideliza-heatmap-canvas') as HTMLCanvasElement;
    expect(canvas.style.pointerEvents).toBe('none');
    expect(canvas.width).toBe(document.documentElement.scrollWidth);
  });

  it('says when the link has expired, and closes', async () => {
    vi.stubGlobal('fetch', async () =>
      Response.json({ error: { code: 'token_expired', message: 'expired' } }, { status: 401 }),
    );
    showOverlay('https://fz.example', 'hm1.old.sig');
    await vi.waitFor(() => expect(status()).toBe('This link has expired: open it again from the dashboard.'));
    const close = [...(panel()?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Close');
    close?.click();
    expect(document.getElementById('fideliza-heatmap')).toBeNull();
    expect(document.getElementById('fideliza-heatmap-canvas')).toBeNull();
  });

  it('starts from a heatmap link only, and stops the page’s own recording then', async () => {
    const consent = vi.fn();
    vi.stubGlobal('fideliza', { consent });
    vi.stubGlobal('fetch', async () => Response.json(grid));
    vi.resetModules();
    await import('./main.ts');
    expect(panel()).toBeUndefined();
    expect(consent).not.toHaveBeenCalled();

    location.hash = '#fideliza-heatmap=hm1.abc.def';
    vi.resetModules();
    await import('./main.ts');
    expect(consent).toHaveBeenCalledWith('denied');
    await vi.waitFor(() => expect(status()).toContain('/demo/p/p-101'));
  });
});
