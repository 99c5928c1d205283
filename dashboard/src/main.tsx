// The dashboard's entry: picks the language, asks who is signed in, follows the URL, renders the shell.
import './app.css';
import { render } from 'preact';
import { type Api, createApi } from './api.ts';
import { App } from './app.tsx';
import { dashboardOf } from './context.ts';
import { browserLanguages, type Locale, locale, locales, pickLocale } from './i18n/index.ts';
import { listenToHistory } from './router.tsx';
import { createSession } from './session.ts';

export interface StartOptions {
  /** A fetch to use instead of the global one (tests). */
  fetch?: typeof fetch;
  baseUrl?: string;
  locale?: Locale;
}

function savedLocale(): Locale | undefined {
  try {
    const saved = localStorage.getItem('fideliza.dashboard.locale');
    return locales.find((l) => l === saved);
  } catch {
    return undefined;
  }
}

/** Renders the dashboard into `root`; returns how to remove it. */
export function start(root: Element, options: StartOptions = {}): () => void {
  locale.value = options.locale ?? savedLocale() ?? pickLocale(browserLanguages());
  document.documentElement.lang = locale.value;
  // The session and the client need each other: the client sends the session's site with every request.
  let api: Api;
  const session = createSession(() => api);
  api = createApi({ baseUrl: options.baseUrl, fetch: options.fetch, siteId: () => session.site.peek()?.siteId });
  const stopHistory = listenToHistory();
  void session.check();
  render(<App session={session} dashboard={dashboardOf(api, session.me, session.site)} />, root);
  return () => {
    stopHistory();
    render(null, root);
  };
}

const root = document.getElementById('app');
if (root) start(root);
