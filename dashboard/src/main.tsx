// The dashboard's entry: renders the app shell into #app.
// What exists now: the shell (product name, tagline, language from the browser: Spanish or English)
// and a status line with the server's readiness from GET /readyz through the typed client in api.ts.
// Staff login and the pages (overview, heatmaps, profiles, segments, inbox, surveys, recommendations,
// settings) come with issue 6; none of them exists yet, so the shell links to none.
import './app.css';
import { render } from 'preact';
import { type Api, createApi } from './api.ts';
import { browserLanguages, type Locale, type Messages, messages, pickLocale } from './i18n/index.ts';
import { StatusLine } from './ui/status-line.tsx';

export function App({ api, t }: { api: Api; t: Messages }) {
  return (
    <>
      <header class="shell-header">
        <div>
          <h1>{t.productName}</h1>
          <p class="tagline">{t.tagline}</p>
        </div>
        <StatusLine api={api} t={t} />
      </header>
      <main />
    </>
  );
}

export interface StartOptions {
  api?: Api;
  locale?: Locale;
}

/** Renders the dashboard into `root` and sets the page's language; returns how to remove it. */
export function start(root: Element, { api = createApi(), locale }: StartOptions = {}): () => void {
  const lang = locale ?? pickLocale(browserLanguages());
  document.documentElement.lang = lang;
  render(<App api={api} t={messages[lang]} />, root);
  return () => render(null, root);
}

const root = document.getElementById('app');
if (root) start(root);
