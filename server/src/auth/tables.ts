// Tables owned by the auth capability: staff accounts and their role on each site.
import type { Generated } from 'kysely';

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

export interface AuthTables {
  staff_users: StaffUsersTable;
  site_members: SiteMembersTable;
}
