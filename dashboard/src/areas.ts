// The dashboard's areas: the URL prefix, who sees it (the server's policy decides what they may do), and
// the page module, imported when first visited so the first load carries only the shell.
import type { ComponentType } from 'preact';
import type { PageProps, Role } from './context.ts';

export type AreaName =
  | 'overview'
  | 'heatmaps'
  | 'profiles'
  | 'segments'
  | 'inbox'
  | 'surveys'
  | 'recommendations'
  | 'settings';

export interface Area {
  name: AreaName;
  /** First path segment under /dashboard ('' for the overview). */
  prefix: string;
  /** Roles besides admin that see it in the navigation. */
  roles: readonly Role[];
  load: () => Promise<{ default: ComponentType<PageProps> }>;
}

export const areas: readonly Area[] = [
  { name: 'overview', prefix: '', roles: ['marketer'], load: () => import('./pages/overview/index.tsx') },
  { name: 'heatmaps', prefix: 'heatmaps', roles: ['marketer'], load: () => import('./pages/heatmaps/index.tsx') },
  {
    name: 'profiles',
    prefix: 'profiles',
    roles: ['marketer', 'agent'],
    load: () => import('./pages/profiles/index.tsx'),
  },
  { name: 'segments', prefix: 'segments', roles: ['marketer'], load: () => import('./pages/segments/index.tsx') },
  { name: 'inbox', prefix: 'inbox', roles: ['agent', 'validator'], load: () => import('./pages/inbox/index.tsx') },
  { name: 'surveys', prefix: 'surveys', roles: ['marketer'], load: () => import('./pages/surveys/index.tsx') },
  {
    name: 'recommendations',
    prefix: 'recommendations',
    roles: ['marketer'],
    load: () => import('./pages/recommendations/index.tsx'),
  },
  // Every role sees its settings page: what each may change there is the server's policy.
  {
    name: 'settings',
    prefix: 'settings',
    roles: ['marketer', 'agent', 'validator'],
    load: () => import('./pages/settings/index.tsx'),
  },
];

export const canSee = (area: Area, role: Role) => role === 'admin' || area.roles.includes(role);

const HOME: Record<Role, AreaName> = { admin: 'overview', marketer: 'overview', agent: 'inbox', validator: 'inbox' };

/** Where a role lands after signing in: support staff start in the inbox, the others on the overview. */
export const homeOf = (role: Role) => areas.find((a) => a.name === HOME[role]) ?? areas[0];
