// Tables owned by the auth capability: staff accounts, their role on each site, login sessions, audit log.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface StaffUsersTable {
  user_id: string;
  email: string;
  password_hash: string;
  created_at: Generated<Date>;
}

export interface SiteMembersTable {
  site_id: string;
  user_id: string;
  role: string;
  created_at: Generated<Date>;
}

/** A login session; global like staff_users. Only the sha256 of the cookie's session id is kept. */
export interface StaffSessionsTable {
  session_hash: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  ip: string | null;
  user_agent: string | null;
}

/** Staff actions per site, append-only; `actor` is a staff user id or 'secret-key'. */
export interface AuditLogTable {
  site_id: string;
  entry_id: ColumnType<string, never, never>;
  at: Generated<Date>;
  actor: string;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: JSONColumnType<Record<string, unknown>>;
}

export interface AuthTables {
  staff_users: StaffUsersTable;
  site_members: SiteMembersTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
}
