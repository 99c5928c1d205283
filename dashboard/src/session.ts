// Who is signed in and which site they work on: asked once at start, set by signing in, cleared on a 401.
import { type Signal, signal } from '@preact/signals';
import { type Api, call, whenSignedOut } from './api.ts';
import type { Me, SiteMembership } from './context.ts';

const SITE_KEY = 'fideliza.dashboard.site';

export type SessionState = 'checking' | 'signed-out' | 'expired' | 'signed-in';

export interface Session {
  state: Signal<SessionState>;
  me: Signal<Me | null>;
  site: Signal<SiteMembership | null>;
  /** Asks the server who this browser is (the session cookie is HttpOnly: only the server knows). */
  check(): Promise<void>;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  chooseSite(siteId: string): void;
}

type MeBody = {
  user: { id: string; email: string };
  sites: { id: string; name: string; role: SiteMembership['role'] }[];
};

const toMe = (body: MeBody): Me => ({
  user: body.user,
  sites: body.sites.map((s) => ({ siteId: s.id, siteName: s.name, role: s.role })),
});

function remembered(): string | null {
  try {
    return localStorage.getItem(SITE_KEY);
  } catch {
    return null;
  }
}

function remember(siteId: string): void {
  try {
    localStorage.setItem(SITE_KEY, siteId);
  } catch {
    // Private mode or storage off: the first site is chosen next time, nothing else is lost.
  }
}

export function createSession(api: () => Api): Session {
  const state = signal<SessionState>('checking');
  const me = signal<Me | null>(null);
  const site = signal<SiteMembership | null>(null);

  const enter = (who: Me) => {
    me.value = who;
    const wanted = remembered();
    site.value = who.sites.find((s) => s.siteId === wanted) ?? who.sites[0] ?? null;
    state.value = 'signed-in';
  };

  whenSignedOut(() => {
    if (state.peek() === 'signed-in') state.value = 'expired';
    me.value = null;
  });

  return {
    state,
    me,
    site,
    async check() {
      try {
        enter(toMe(await call(api().api.auth.me.$get())));
      } catch {
        state.value = 'signed-out';
      }
    },
    async signIn(email, password) {
      enter(toMe(await call(api().api.auth.login.$post({ json: { email, password } }))));
    },
    async signOut() {
      try {
        await call(api().api.auth.logout.$post());
      } finally {
        me.value = null;
        site.value = null;
        state.value = 'signed-out';
      }
    },
    chooseSite(siteId) {
      const next = me.peek()?.sites.find((s) => s.siteId === siteId);
      if (!next) return;
      site.value = next;
      remember(siteId);
    },
  };
}
