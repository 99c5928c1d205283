// Tables owned by the sites capability.
import type { ColumnType, Generated } from 'kysely';

export interface SitesTable {
  site_id: string;
  name: string;
  /** Exact origins (scheme://host[:port]) browsers may send from; empty means no browser origin. */
  allowed_origins: string[];
  /** Public: it is pasted into shop pages. */
  write_key: string;
  /** sha256 of the secret key; the key itself is shown once, at creation. */
  secret_key_hash: string;
  /** Validated by siteSettingsSchema on the way in and out. */
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
}

export interface SitesTables {
  sites: SitesTable;
}
