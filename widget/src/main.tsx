// The widget's entry, loaded on demand by the SDK with import(): `mount()` creates a host element, attaches a
// shadow root to it and renders the launcher and panel (chat, feedback, complaints and their status) and the
// survey card there, so no CSS leaks in either direction.
import { signal } from '@preact/signals';
import { render } from 'preact';
import { type Api, createApi, type SiteLook, type Visitor } from './api/client.ts';
import { browserLanguages, type Locale, messages, pickLocale } from './i18n/index.ts';
import { createStore } from './state/store.ts';
import { Shell } from './ui/shell.tsx';
import { styles } from './ui/styles.ts';

export type { Api } from './api/client.ts';
export type { Locale } from './i18n/index.ts';

export interface MountOptions {
  /** The Fideliza server's origin (the SDK passes its own). */
  host?: string;
  writeKey?: string;
  /**
   * The SDK client: the widget calls its `getUser()` for the anonymous id, user id and the shop's HMAC, and its
   * `flush()` before asking for surveys.
   */
  client?: object;
  /** Where the host element is appended; `document.body` by default. */
  container?: Element;
  /** Language of the texts; taken from the browser's preferred languages by default. */
  locale?: Locale;
  /** Stands in for the server (tests, previews); built from host and write key by default. */
  api?: Api;
}

export interface WidgetHandle {
  /** The element in the host page that carries the widget's shadow root. */
  readonly host: HTMLElement;
  /** Removes the widget from the page. */
  unmount(): void;
}

/** Host element's tag: a custom element name, so page rules aimed at `div` or `section` miss it. */
export const HOST_TAG = 'fideliza-widget';

/** The visitor as the SDK knows them; a widget mounted without the SDK gets an id of its own for this page. */
function visitorOf(client: object | undefined): () => Visitor {
  let own: Visitor | undefined;
  return () => {
    const sdk = client as { getUser?: () => Visitor } | undefined;
    if (typeof sdk?.getUser === 'function') return sdk.getUser();
    // randomUUID exists only in secure contexts; an id for one page needs no more than Math.random.
    own ??= { anonymousId: crypto.randomUUID?.() ?? `w${Math.random().toString(36).slice(2)}` };
    return own;
  };
}

/** Renders the widget into a new shadow root attached to a new host element; returns how to remove it. */
export function mount(options: MountOptions = {}): WidgetHandle {
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const locale = options.locale ?? pickLocale(browserLanguages());
  const writeKey = options.writeKey ?? '';
  const api = options.api ?? createApi(options.host ?? '', writeKey, visitorOf(options.client));
  const sdk = options.client as { flush?: () => Promise<void> } | undefined;
  const store = createStore(api, writeKey, async () => sdk?.flush?.());
  const look = signal<SiteLook | null | undefined>(undefined);
  api.look().then(
    (value) => {
      look.value = value;
    },
    () => {
      look.value = null;
    },
  );
  (options.container ?? document.body).append(host);
  // A constructed stylesheet is not inline CSS, so a shop's strict Content-Security-Policy (no 'unsafe-inline'
  // styles) cannot block it; browsers without one get a <style> element. Preact owns the whole shadow root (it
  // would remove children it did not create), so that element is rendered by Preact too.
  let sheet: CSSStyleSheet | undefined;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    sheet = undefined;
  }
  render(
    <>
      {sheet ? null : <style>{styles}</style>}
      <Shell store={store} t={messages[locale]} locale={locale} look={look} />
    </>,
    shadow,
  );
  store.survey.start();
  return {
    host,
    unmount() {
      store.chat.dispose();
      store.survey.dispose();
      render(null, shadow);
      host.remove();
    },
  };
}
