// The shell: sign-in gate, header (shop, language, sign-out), navigation by role, and the current area's page.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Area, areas, canSee, homeOf } from './areas.ts';
import { type Dashboard, DashboardContext, type PageProps } from './context.ts';
import { type Locale, locale, locales, useMessages } from './i18n/index.ts';
import { Login } from './login.tsx';
import { messages } from './messages.ts';
import { Link, route } from './router.tsx';
import type { Session } from './session.ts';
import { ErrorNote, Loading } from './ui/notice.tsx';

const LOCALE_NAMES: Record<Locale, string> = { es: 'Español', en: 'English' };

/** The area's page module, imported on first visit (and kept: modules are cached by the browser). */
function usePage(area: Area | undefined) {
  const [state, setState] = useState<{ area?: Area; page?: ComponentType<PageProps>; error?: unknown }>({});
  useEffect(() => {
    if (!area) return;
    let live = true;
    area.load().then(
      (m) => live && setState({ area, page: m.default }),
      (error: unknown) => live && setState({ area, error }),
    );
    return () => {
      live = false;
    };
  }, [area]);
  return state.area === area ? state : {};
}

function Header({ session, onLocale }: { session: Session; onLocale: (l: Locale) => void }) {
  const t = useMessages(messages);
  const me = session.me.value;
  const site = session.site.value;
  return (
    <header class="shell-header">
      <h1>{t.productName}</h1>
      <div class="shell-tools">
        {me && me.sites.length > 1 && site && (
          <label>
            {t.site}{' '}
            <select value={site.siteId} onChange={(e) => session.chooseSite(e.currentTarget.value)}>
              {me.sites.map((s) => (
                <option key={s.siteId} value={s.siteId}>
                  {s.siteName}
                </option>
              ))}
            </select>
          </label>
        )}
        {me && me.sites.length === 1 && site && <span class="site-name">{site.siteName}</span>}
        <label>
          {t.language}{' '}
          <select value={locale.value} onChange={(e) => onLocale(e.currentTarget.value as Locale)}>
            {locales.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        {me && (
          <>
            <span class="user">
              {me.user.email}
              {site && ` · ${t.roles[site.role]}`}
            </span>
            <button type="button" onClick={() => void session.signOut()}>
              {t.signOut}
            </button>
          </>
        )}
      </div>
    </header>
  );
}

function Shell({ session, dashboard }: { session: Session; dashboard: Dashboard }) {
  const t = useMessages(messages);
  const site = session.site.value;
  const { area: prefix, path, query } = route.value;
  const area = areas.find((a) => a.prefix === prefix);
  const visible = site ? areas.filter((a) => canSee(a, site.role)) : [];
  const allowed = area && site && canSee(area, site.role);
  // Landing on the overview without access to it goes to the role's own home (an agent's inbox).
  const target = prefix === '' && site && !allowed ? homeOf(site.role) : allowed ? area : undefined;
  const page = usePage(target);

  useEffect(() => {
    if (target && target !== area) dashboard.navigate(`/${target.prefix}`, { replace: true });
  }, [target, area]);

  if (!site) return <p class="notice">{t.noSites}</p>;
  return (
    <div class="shell">
      <nav class="shell-nav" aria-label={t.mainNavigation}>
        <ul>
          {visible.map((a) => (
            <li key={a.name}>
              <Link href={`/${a.prefix}`} aria-current={a === target ? 'page' : undefined}>
                {t.areas[a.name]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main class="shell-main">
        {!area ? (
          <p class="notice">{t.notFound}</p>
        ) : !target ? (
          <p class="notice">{t.notAllowed}</p>
        ) : page.error ? (
          <ErrorNote error={page.error} />
        ) : page.page ? (
          // Keyed by site: switching shops starts every page afresh.
          <page.page key={site.siteId} path={path} query={query} />
        ) : (
          <Loading />
        )}
      </main>
    </div>
  );
}

export function App({ session, dashboard }: { session: Session; dashboard: Dashboard }) {
  const state = session.state.value;
  const setLocale = (l: Locale) => {
    locale.value = l;
    document.documentElement.lang = l;
    try {
      localStorage.setItem('fideliza.dashboard.locale', l);
    } catch {
      // Storage off: the browser's language is used next time.
    }
  };
  return (
    <DashboardContext.Provider value={dashboard}>
      {state === 'checking' ? (
        <Loading />
      ) : state === 'signed-in' ? (
        <>
          <Header session={session} onLocale={setLocale} />
          <Shell session={session} dashboard={dashboard} />
        </>
      ) : (
        <>
          <Header session={session} onLocale={setLocale} />
          <Login session={session} />
        </>
      )}
    </DashboardContext.Provider>
  );
}
