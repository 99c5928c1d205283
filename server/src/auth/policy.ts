// Who may call each /api route: one table, method + Hono route pattern → roles. Admin may always.
// requireStaff refuses a signed-in user on any route missing here (fail closed), and policy.test.ts walks
// every registered /api route and fails on one without an entry: a new route gets a line here.
import type { Role } from './users.ts';

/** No credentials at all (signing in). */
export const PUBLIC = 'public';
/** Any signed-in staff user, on no particular site (their own session and profile). */
export const SIGNED_IN = 'signed-in';

/** Roles besides admin, or one of the two site-less kinds above. */
export type Rule = readonly Exclude<Role, 'admin'>[] | typeof PUBLIC | typeof SIGNED_IN;

const ADMIN_ONLY: Rule = [];
const INBOX_READ: Rule = ['agent', 'validator'];
const INBOX_WRITE: Rule = ['agent'];
const MARKETING: Rule = ['marketer'];
const CUSTOMER_READ: Rule = ['marketer', 'agent'];

export const policy: Readonly<Record<string, Rule>> = {
  // Sessions (auth/routes.ts).
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': SIGNED_IN,
  'GET /api/auth/me': SIGNED_IN,
  'GET /api/audit': ADMIN_ONLY,

  // Inbox: chats (conversations/staff-routes.ts). Validators read the chats behind the complaints they sign.
  'GET /api/conversations': INBOX_READ,
  'GET /api/conversations/events': INBOX_READ,
  'GET /api/conversations/assignees': INBOX_READ,
  'GET /api/conversations/:id': INBOX_READ,
  'POST /api/conversations/:id/messages': INBOX_WRITE,
  'POST /api/conversations/:id/assign': INBOX_WRITE,
  'POST /api/conversations/:id/status': INBOX_WRITE,
  // Read markers are each staff user's own (what the inbox shows them as unread).
  'POST /api/conversations/:id/read': INBOX_READ,
  // Complaints: agents and validators both act; complaints.ts decides which action needs which role.
  'POST /api/complaints/:id/transitions': ['agent', 'validator'],
  'GET /api/complaints/:id/photos/:photoId': INBOX_READ,

  // Settings and keys.
  'GET /api/widget/identity-secret': ADMIN_ONLY,
  'POST /api/widget/identity-secret/rotate': ADMIN_ONLY,
  // Site settings (sites/staff-routes.ts). Marketers may read them: they install the tracking snippet (often
  // through a tag manager) and check the widget's look, and nothing here is secret (the write key is pasted
  // into public pages, origins show in CORS answers, the secret key is never returned). Changes are admins'.
  'GET /api/site': MARKETING,
  'PUT /api/site': ADMIN_ONLY,
  'POST /api/site/keys/rotate': ADMIN_ONLY,
  // A new site: its creator (an admin here) becomes its first admin.
  'POST /api/sites': ADMIN_ONLY,
  // The team (auth/team-routes.ts): who works on the site, accounts and roles are admins' alone.
  'GET /api/team': ADMIN_ONLY,
  'POST /api/team': ADMIN_ONLY,
  'PUT /api/team/:userId': ADMIN_ONLY,
  'DELETE /api/team/:userId': ADMIN_ONLY,

  // Surveys (surveys/staff-routes.ts).
  'GET /api/surveys': MARKETING,
  'POST /api/surveys': MARKETING,
  'GET /api/surveys/:id': MARKETING,
  'PUT /api/surveys/:id': MARKETING,
  'POST /api/surveys/:id/archive': MARKETING,
  'GET /api/surveys/:id/results': MARKETING,
  'GET /api/surveys/:id/responses': MARKETING,
  'GET /api/surveys/:id/responses.csv': MARKETING,

  // The overview (analytics/routes.ts).
  'GET /api/overview': MARKETING,

  // Heatmaps (heatmaps/routes.ts).
  'GET /api/heatmaps/clicks': MARKETING,
  'GET /api/heatmaps/selectors': MARKETING,
  'GET /api/heatmaps/scroll': MARKETING,
  'GET /api/heatmaps/pages': MARKETING,
  // A short-lived link that shows one page's heatmap over the live shop page (heatmaps/overlay-routes.ts).
  'POST /api/heatmaps/overlay-token': MARKETING,

  // Catalogue import replaces the shop's products: an integration's job (secret key) or an admin's.
  'POST /api/catalog': ADMIN_ONLY,

  // Recommendations (recommend/routes.ts).
  'GET /api/recommendations/rules': MARKETING,
  'GET /api/recommendations/outcomes': MARKETING,

  // Customer files (profiles/routes.ts): marketers own them, agents read them to answer customers.
  // Export and erasure serve privacy requests: a marketer's (or admin's) job, not an agent's.
  'GET /api/profiles': CUSTOMER_READ,
  'GET /api/profiles/:id': CUSTOMER_READ,
  'GET /api/profiles/:id/timeline': CUSTOMER_READ,
  'GET /api/profiles/:id/export': MARKETING,
  'DELETE /api/profiles/:id': MARKETING,
  // "For you" on the customer file (recommend/profile-routes.ts): agents suggest products to the customer too.
  'GET /api/profiles/:id/recommendations': CUSTOMER_READ,

  // Segments (segments/routes.ts).
  'GET /api/segments': MARKETING,
  'POST /api/segments': MARKETING,
  'POST /api/segments/preview/count': MARKETING,
  // What the rule builder can build (rule types, operators, registered kinds) and names seen on the site.
  'GET /api/segments/conditions': MARKETING,
  'GET /api/segments/:id': MARKETING,
  'PUT /api/segments/:id': MARKETING,
  'DELETE /api/segments/:id': MARKETING,
  'GET /api/segments/:id/count': MARKETING,
  'GET /api/segments/:id/members': MARKETING,
  'GET /api/segments/:id/export.csv': MARKETING,
};

/** The named groups, for entries added by other capabilities (profiles read: CUSTOMER_READ). */
export const rules = { ADMIN_ONLY, INBOX_READ, INBOX_WRITE, MARKETING, CUSTOMER_READ } as const;

/** The rule for a registered route (method as Hono registered it, pattern as written), if there is one. */
export function ruleFor(method: string, pattern: string): Rule | undefined {
  const key = `${method.toUpperCase()} ${pattern}`;
  return Object.hasOwn(policy, key) ? policy[key] : undefined;
}

/** Whether a member with `role` on the site passes a site rule (admin always does). */
export function allows(rule: Rule, role: Role): boolean {
  if (rule === PUBLIC || rule === SIGNED_IN) return true;
  return role === 'admin' || (rule as readonly Role[]).includes(role);
}
