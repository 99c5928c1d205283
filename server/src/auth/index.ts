// Staff accounts: users and roles, login sessions, the /api policy table, login throttling and the audit log.
export { type AuditEntry, type AuditRow, audit, listAudit, SECRET_KEY_ACTOR, writeAudit } from './audit.ts';
export { findSiteMember, listMemberships, type Membership, type SiteMember } from './members.ts';
export { generatePassword, hashPassword, verifyPassword } from './password.ts';
export { allows, PUBLIC, policy, type Rule, ruleFor, rules, SIGNED_IN } from './policy.ts';
export { type AuthRouteOptions, authRoutes } from './routes.ts';
export {
  defaultLifetimes,
  hashSessionId,
  resolveSession,
  SESSION_COOKIE,
  type SessionLifetimes,
  type SessionUser,
} from './sessions.ts';
export {
  addSiteMember,
  addTeamMember,
  changeMemberRole,
  listTeam,
  removeMember,
  TeamError,
  type TeamMember,
} from './team.ts';
export { teamRoutes } from './team-routes.ts';
export { defaultThrottleLimits, LoginThrottle, type ThrottleLimits } from './throttle.ts';
export { createStaffUser, DuplicateUserError, InvalidUserError, type Role, roles } from './users.ts';
