// @vitest-environment happy-dom
// The widget mounts in its own shadow root, speaks the browser's language and opens its panel from the launcher.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOST_TAG, mount, type WidgetHandle } from './main.tsx';

let handle: WidgetHandle | undefined;

afterEach(() => {
  handle?.unmount();
  handle = undefined;
  vi.restoreAllMocks();
});

function launcherOf(h: WidgetHandle): HTMLButtonElement {
  const button = h.host.shadowRoot?.querySelector<HTMLButtonElement>('button.launcher');
  if (!button) throw new Error('no launcher in the shadow root');
  return button;
}

function panelOf(h: WidgetHandle): HTMLElement {
  const panel = h.host.shadowRoot?.getElementById('fz-panel');
  if (!panel) throw new Error('no panel in the shadow root');
  return panel;
}

function withBrowserLanguages(languages: string[]) {
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
  vi.spyOn(navigator, 'language', 'get').mockReturnValue(languages[0] ?? '');
}

describe('mount', () => {
  it('renders the launcher inside a shadow root, not in the page', () => {
    withBrowserLanguages(['en-US']);
    handle = mount();
    expect(handle.host.tagName.toLowerCase()).toBe(HOST_TAG);
    expect(handle.host.parentNode).toBe(document.body);
    expect(launcherOf(handle)).toBeTruthy();
    // The page's own DOM sees only the host element, and the stylesheet sits in the shadow root.
    expect(document.querySelector('button')).toBeNull();
    expect(handle.host.shadowRoot?.querySelector('style')?.textContent).toContain('.launcher');
  });

  it.each([
    [['es-ES', 'en'], 'Ayuda y contacto', '¿En qué podemos ayudarte?'],
    [['es-MX'], 'Ayuda y contacto', '¿En qué podemos ayudarte?'],
    [['en-GB', 'es'], 'Help and contact', 'How can we help?'],
    [['fr-FR', 'es'], 'Ayuda y contacto', '¿En qué podemos ayudarte?'],
    [['de-DE'], 'Help and contact', 'How can we help?'],
  ])('with browser languages %j labels the launcher "%s"', (languages, label, heading) => {
    withBrowserLanguages(languages);
    handle = mount();
    expect(launcherOf(handle).getAttribute('aria-label')).toBe(label);
    expect(panelOf(handle).querySelector('h2')?.textContent).toBe(heading);
  });

  it('takes an explicit locale over the browser language', () => {
    withBrowserLanguages(['en-US']);
    handle = mount({ locale: 'es' });
    expect(launcherOf(handle).getAttribute('aria-label')).toBe('Ayuda y contacto');
  });

  it('opens and closes the panel from the launcher, and closes it with Escape', async () => {
    withBrowserLanguages(['es-ES']);
    handle = mount();
    const launcher = launcherOf(handle);
    const panel = panelOf(handle);
    expect(launcher.getAttribute('type')).toBe('button');
    expect(launcher.getAttribute('aria-controls')).toBe(panel.id);
    expect(panel.getAttribute('aria-labelledby')).toBe('fz-panel-heading');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);

    launcher.click();
    await vi.waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('true'));
    expect(panel.hidden).toBe(false);

    launcher.click();
    await vi.waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('false'));
    expect(panel.hidden).toBe(true);

    launcher.click();
    await vi.waitFor(() => expect(panel.hidden).toBe(false));
    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await vi.waitFor(() => expect(launcher.getAttribute('aria-expanded')).toBe('false'));
    expect(panel.hidden).toBe(true);
    expect(handle.host.shadowRoot?.activeElement).toBe(launcher);
  });

  it('appends to a given container and removes everything on unmount', () => {
    const container = document.createElement('div');
    document.body.append(container);
    handle = mount({ container, locale: 'en' });
    expect(container.firstElementChild).toBe(handle.host);
    handle.unmount();
    handle = undefined;
    expect(container.childNodes).toHaveLength(0);
    container.remove();
  });
});
