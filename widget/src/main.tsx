// The widget's entry, loaded on demand by the SDK with import(): `mount()` creates a host element,
// attaches a shadow root to it and renders the widget there, so no CSS leaks in either direction.
// What exists now: the launcher button (accessible name in Spanish or English from the browser's
// language, aria-expanded, Escape to close, visible focus) and an empty panel region with a heading.
// Chat, feedback, surveys and complaints (issue 5) will live in that panel; none of them exists yet.
import { render } from 'preact';
import { browserLanguages, type Locale, messages, pickLocale } from './i18n/index.ts';
import { Shell } from './ui/shell.tsx';
import { styles } from './ui/styles.ts';

export type { Locale } from './i18n/index.ts';

export interface MountOptions {
  /** Where the host element is appended; `document.body` by default. */
  container?: Element;
  /** Language of the texts; taken from the browser's preferred languages by default. */
  locale?: Locale;
}

export interface WidgetHandle {
  /** The element in the host page that carries the widget's shadow root. */
  readonly host: HTMLElement;
  /** Removes the widget from the page. */
  unmount(): void;
}

/** Host element's tag: a custom element name, so page rules aimed at `div` or `section` miss it. */
export const HOST_TAG = 'fideliza-widget';

/** Renders the widget into a new shadow root attached to a new host element; returns how to remove it. */
export function mount(options: MountOptions = {}): WidgetHandle {
  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const t = messages[options.locale ?? pickLocale(browserLanguages())];
  (options.container ?? document.body).append(host);
  // Preact owns the whole shadow root (it would remove children it did not create), stylesheet included.
  render(
    <>
      <style>{styles}</style>
      <Shell t={t} />
    </>,
    shadow,
  );
  return {
    host,
    unmount() {
      render(null, shadow);
      host.remove();
    },
  };
}
