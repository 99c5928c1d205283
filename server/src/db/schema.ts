// The whole database as Kysely sees it: each capability's tables, composed.
import type { AuthTables } from '../auth/tables.ts';
import type { ConversationsTables } from '../conversations/tables.ts';
import type { IngestTables } from '../ingest/tables.ts';
import type { SitesTables } from '../sites/tables.ts';

export interface Database extends SitesTables, AuthTables, IngestTables, ConversationsTables {}
