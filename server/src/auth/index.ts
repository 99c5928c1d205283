// Staff accounts: creation, password hashing and roles (login sessions come with the dashboard).
export { findSiteMember, type SiteMember } from './members.ts';
export { generatePassword, hashPassword, verifyPassword } from './password.ts';
export { createStaffUser, DuplicateUserError, InvalidUserError, type Role, roles } from './users.ts';
