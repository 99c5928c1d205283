// What every page needs from the shell, through one context: the typed client, who is signed in, the site.
import { computed, type ReadonlySignal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.ts';
import { type Locale, locale } from './i18n/index.ts';
import { navigate } from './router.tsx';

export type Role = 'admin' | 'marketer' | 'agent' | 'validator';

export interface SiteMembership {
  siteId: string;
  siteName: string;
  role: Role;
}

export interface Me {
  user: { id: string; email: string };
  sites: SiteMembership[];
}

export interface Dashboard {
  api: Api;
  /** The signed-in user and their sites (null while signed out). */
  me: ReadonlySignal<Me | null>;
  /** The site being worked on; pages render only while there is one. */
  site: ReadonlySignal<SiteMembership>;
  locale: ReadonlySignal<Locale>;
  navigate: typeof navigate;
}

/** Props of every area's page: the segments after its prefix and the query string. */
export interface PageProps {
  path: string[];
  query: URLSearchParams;
}

const noSite: SiteMembership = { siteId: '', siteName: '', role: 'agent' };

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside the dashboard shell');
  return dashboard;
}

/** The shell's context value for a client and a session (tests build one the same way). */
export function dashboardOf(
  api: Api,
  me: ReadonlySignal<Me | null>,
  site: ReadonlySignal<SiteMembership | null>,
): Dashboard {
  return {
    api,
    me,
    // Pages only mount while a site is chosen; the empty membership is never seen by one.
    site: computed(() => site.value ?? noSite),
    locale,
    navigate,
  };
}
