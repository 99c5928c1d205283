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
  'GET /api/conversations/:id': INBOX_READ,
  'POST /api/conversations/:id/messages': INBOX_WRITE,
  'POST /api/conversations/:id/assign': INBOX_WRITE,
  'POST /api/conversations/:id/status': INBOX_WRITE,
  // Complaints: agents and validators both act; complaints.ts decides which action needs which role.
  'POST /api/complaints/:id/transitions': ['agent', 'validator'],
  'GET /api/complaints/:id/photos/:photoId': INBOX_READ,

  // Settings and keys.
  'GET /api/widget/identity-secret': ADMIN_ONLY,
  'POST /api/widget/identity-secret/rotate': ADMIN_ONLY,

  // Surveys (surveys/staff-routes.ts).
  'GET /api/surveys': MARKETING,
  'POST /api/surveys': MARKETING,
  'GET /api/surveys/:id': MARKETING,
  'PUT /api/surveys/:id': MARKETING,
  'POST /api/surveys/:id/archive': MARKETING,
  'GET /api/surveys/:id/results': MARKETING,
  'GET /api/surveys/:id/responses': MARKETING,
  'GET /api/surveys/:id/responses.csv': MARKETING,

  // Heatmaps (heatmaps/routes.ts).
  'GET /api/heatmaps/clicks': MARKETING,
  'GET /api/heatmaps/selectors': MARKETING,
  'GET /api/heatmaps/scroll': MARKETING,
  'GET /api/heatmaps/pages': MARKETING,

  // Catalogue import replaces the shop's products: an integration's job (secret key) or an admin's.
  'POST /api/catalog': ADMIN_ONLY,

  // Recommendations (recommend/routes.ts).
  'GET /api/recommendations/rules': MARKETING,

  // Customer files (profiles/routes.ts): marketers own them, agents read them to answer customers.
  // Export and erasure serve privacy requests: a marketer's (or admin's) job, not an agent's.
  'GET /api/profiles': CUSTOMER_READ,
  'GET /api/profiles/:id': CUSTOMER_READ,
  'GET /api/profiles/:id/timeline': CUSTOMER_READ,
  'GET /api/profiles/:id/export': MARKETING,
  'DELETE /api/profiles/:id': MARKETING,

  // Segments (segments/routes.ts).
  'GET /api/segments': MARKETING,
  'POST /api/segments': MARKETING,
  'POST /api/segments/preview/count': MARKETING,
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
