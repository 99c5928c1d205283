// @vitest-environment happy-dom
// The widget mounts in its own shadow root, speaks the browser's language, takes the site's look, and its panel
// opens, moves focus in, switches tabs by keyboard and closes with Escape back to the launcher.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOST_TAG, mount, type WidgetHandle } from './main.tsx';
import { fakeApi, mountWidget } from './testing.ts';

let handle: WidgetHandle | undefined;

afterEach(() => {
  handle?.unmount();
  handle = undefined;
  vi.restoreAllMocks();
});

/** A custom property as set on the widget's root element. */
const varOf = (h: WidgetHandle, name: string) =>
  h.host.shadowRoot?.querySelector<HTMLElement>('.root')?.style.getPropertyValue(name).trim();

function withBrowserLanguages(languages: string[]) {
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
  vi.spyOn(navigator, 'language', 'get').mockReturnValue(languages[0] ?? '');
}

/** Mounts with a fake server and waits for the launcher. */
async function mounted(options: Parameters<typeof mount>[0] = {}) {
  handle = mount({ api: fakeApi().api, ...options });
  const root = handle.host.shadowRoot!;
  await vi.waitFor(() => expect(root.querySelector('button.launcher')).toBeTruthy());
  return {
    root,
    launcher: root.querySelector<HTMLButtonElement>('button.launcher')!,
    panel: root.getElementById('fz-panel')!,
  };
}

describe('mount', () => {
  it('renders the launcher inside a shadow root, not in the page', async () => {
    withBrowserLanguages(['en-US']);
    const { root, launcher } = await mounted();
    expect(handle!.host.tagName.toLowerCase()).toBe(HOST_TAG);
    expect(handle!.host.parentNode).toBe(document.body);
    expect(launcher).toBeTruthy();
    // The page's own DOM sees only the host element, and the stylesheet sits in the shadow root.
    expect(document.querySelector('button')).toBeNull();
    const css = [...root.adoptedStyleSheets].flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n');
    expect(css || root.querySelector('style')?.textContent).toContain('.launcher');
  });

  it.each([
    [['es-ES', 'en'], 'Ayuda y contacto', '¿En qué podemos ayudarte?'],
    [['es-MX'], 'Ayuda y contacto', '¿En qué podemos ayudarte?'],
    [['en-GB', 'es'], 'Help and contact', 'How can we help?'],
    [['fr-FR', 'es'], 'Ayuda y contacto', '¿En qué podemos ayudarte?'],
    [['de-DE'], 'Help and contact', 'How can we help?'],
  ])('with browser languages %j labels the launcher "%s"', async (languages, label, heading) => {
    withBrowserLanguages(languages);
    const { launcher, panel } = await mounted();
    expect(launcher.getAttribute('aria-label')).toBe(label);
    expect(panel.querySelector('h2')?.textContent).toBe(heading);
  });

  it('takes an explicit locale over the browser language', async () => {
    withBrowserLanguages(['en-US']);
    const { launcher, root } = await mounted({ locale: 'es' });
    expect(launcher.getAttribute('aria-label')).toBe('Ayuda y contacto');
    expect([...root.querySelectorAll('[role=tab]')].map((t) => t.textContent)).toEqual([
      'Chat',
      'Valorar página',
      'Reclamación',
      'Consultar',
    ]);
  });

  it('takes the brand colour and side from the site config, with readable text on it', async () => {
    const { root } = await mounted();
    expect(varOf(handle!, '--fz-brand')).toBe('#7a1fa2');
    expect(varOf(handle!, '--fz-on-brand')).toBe('#fff');
    expect(root.querySelector('.root')?.classList.contains('left')).toBe(true);
  });

  it('falls back to the default look when the config cannot be read, and ignores a colour that is no colour', async () => {
    const { api } = fakeApi();
    api.look.mockRejectedValueOnce(new Error('down'));
    handle = mount({ api });
    await vi.waitFor(() => expect(handle!.host.shadowRoot!.querySelector('.root.right')).toBeTruthy());
    handle.unmount();
    api.look.mockResolvedValueOnce({ color: 'red;background:url(//evil)', position: 'right' });
    handle = mount({ api });
    await vi.waitFor(() => expect(varOf(handle!, '--fz-brand')).toBe('#1f6feb'));
    // Dark text where white would not reach the contrast ratio.
    handle.unmount();
    api.look.mockResolvedValueOnce({ color: '#ffd54f', position: 'right' });
    handle = mount({ api });
    await vi.waitFor(() => expect(varOf(handle!, '--fz-on-brand')).toBe('#111'));
  });

  it('opens as a dialog with focus on the selected tab; Escape closes it and focus returns to the launcher', async () => {
    const { launcher, panel, root } = await mounted();
    expect(launcher.getAttribute('aria-controls')).toBe(panel.id);
    expect(panel.getAttribute('role')).toBe('dialog');
    expect(panel.getAttribute('aria-labelledby')).toBe('fz-panel-heading');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);

    launcher.click();
    await vi.waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('true'));
    expect(panel.hidden).toBe(false);
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-chat'));

    launcher.click();
    await vi.waitFor(() => expect(panel.hidden).toBe(true));

    launcher.click();
    await vi.waitFor(() => expect(panel.hidden).toBe(false));
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await vi.waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('false'));
    expect(panel.hidden).toBe(true);
    expect(root.activeElement).toBe(launcher);
  });

  it('moves between tabs with the arrow keys, Home and End (one Tab stop for the tab list)', async () => {
    const { root, launcher } = await mounted();
    launcher.click();
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-chat'));
    const press = (key: string) =>
      root.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    const tabIndexes = () => [...root.querySelectorAll('[role=tab]')].map((t) => t.getAttribute('tabindex'));

    press('ArrowRight');
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-feedback'));
    expect(root.activeElement?.getAttribute('aria-selected')).toBe('true');
    expect(tabIndexes()).toEqual(['-1', '0', '-1', '-1']);
    expect(root.getElementById('fz-view')?.getAttribute('aria-labelledby')).toBe('fz-tab-feedback');
    press('End');
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-status'));
    press('ArrowRight');
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-chat'));
    press('ArrowLeft');
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-status'));
    press('Home');
    await vi.waitFor(() => expect(root.activeElement?.id).toBe('fz-tab-chat'));
  });

  it('asks the server for nothing but the look and the page survey until the panel opens', async () => {
    const { api } = fakeApi();
    handle = mount({ api });
    await vi.waitFor(() => expect(handle!.host.shadowRoot!.querySelector('.launcher')).toBeTruthy());
    await vi.waitFor(() => expect(api.surveys).toHaveBeenCalledTimes(1));
    expect(api.look).toHaveBeenCalledTimes(1);
    expect(api.session).not.toHaveBeenCalled();
    expect(api.startChat).not.toHaveBeenCalled();
  });

  it('appends to a given container and removes everything on unmount, stopping the chat stream', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const { api, streams } = fakeApi();
    handle = mount({ container, locale: 'en', api });
    expect(container.firstElementChild).toBe(handle.host);
    handle.unmount();
    handle = undefined;
    expect(container.childNodes).toHaveLength(0);
    container.remove();

    const w = mountWidget(api);
    await w.open();
    w.type('textarea', 'hola');
    w.button('Send').click();
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    w.handle.unmount();
    expect(streams[0]?.stopped).toBe(true);
  });
});
