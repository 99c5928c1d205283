// Tables owned by the conversations capability (chat, feedback, complaints).
import type { ColumnType, Generated } from 'kysely';

export interface WidgetSecretsTable {
  site_id: string;
  token_secret: string;
  identity_secret: string;
  created_at: Generated<Date>;
}

export interface ConversationCountersTable {
  site_id: string;
  /** `event` (message ids) or `ticket-<year>`. */
  name: string;
  value: number;
}

export interface ConversationsTable {
  site_id: string;
  conversation_id: string;
  kind: 'chat' | 'feedback' | 'complaint';
  status: string;
  anonymous_id: string;
  /** Set only when the shop proved it with its identity HMAC. */
  user_id: string | null;
  email: string | null;
  assignee_id: string | null;
  page_url: string | null;
  rating: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MessagesTable {
  site_id: string;
  /** The site's event sequence: also the SSE event id. */
  message_id: number;
  conversation_id: string;
  author: 'visitor' | 'agent' | 'system';
  staff_user_id: string | null;
  /** `staff` messages (assignments, internal workflow notes) never reach the visitor. */
  visibility: 'public' | 'staff';
  /** What a system message reports (`status_changed`, `assigned`); null for people's messages. */
  event: string | null;
  body: string;
  created_at: Generated<Date>;
}

export interface ComplaintsTable {
  site_id: string;
  conversation_id: string;
  ticket: string;
  category: string;
  order_number: string | null;
  description: string;
  technical_report: string | null;
  validation_note: string | null;
  response: string | null;
}

export interface ComplaintTransitionsTable {
  site_id: string;
  transition_id: Generated<number>;
  conversation_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_role: string | null;
  text: string | null;
  at: Generated<Date>;
}

export interface ComplaintPhotosTable {
  site_id: string;
  photo_id: string;
  conversation_id: string;
  content_type: string;
  bytes: ColumnType<Uint8Array, Uint8Array, never>;
  created_at: Generated<Date>;
}

/** How far a staff user has read a conversation: what the inbox counts as unread to them. */
export interface ConversationReadsTable {
  site_id: string;
  user_id: string;
  conversation_id: string;
  /** The id of the last message they saw. */
  read_up_to: number;
}

export interface ConversationsTables {
  widget_secrets: WidgetSecretsTable;
  conversation_counters: ConversationCountersTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  complaints: ComplaintsTable;
  complaint_transitions: ComplaintTransitionsTable;
  complaint_photos: ComplaintPhotosTable;
  conversation_reads: ConversationReadsTable;
}
