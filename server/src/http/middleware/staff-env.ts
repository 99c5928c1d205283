// What handlers behind requireStaff (or requireSecretKey) read from the context: the site, and who acts.
import type { AuditEntry, Role } from '../../auth/index.ts';
import type { Site } from '../../sites/index.ts';

/** A signed-in staff member acting on the current site with their role there. */
export interface StaffActor {
  userId: string;
  email: string;
  role: Role;
}

/** The signed-in user behind a session cookie (set on site-less routes too). */
export interface SignedInUser {
  userId: string;
  email: string;
  sessionHash: string;
}

export interface StaffEnv {
  Variables: {
    site: Site;
    /** Null when the caller used the site's secret key (it acts as the site, with full access). */
    staff: StaffActor | null;
    /** Null for the secret key. */
    user: SignedInUser | null;
    authenticatedBy: 'session' | 'secret-key';
    /** Writes an audit entry for the current site and actor; call it through audit(c, …). */
    auditLog: (entry: AuditEntry) => Promise<void>;
  };
}
