// Wire schemas of the widget API (/v1/widget/*) and the staff conversations API (/api/conversations, /api/complaints).
import { z } from 'zod';

/** Longest message, comment or description a person can send. */
export const MAX_TEXT_CHARS = 4000;

const text = z.string().trim().min(1, 'must not be empty').max(MAX_TEXT_CHARS, `at most ${MAX_TEXT_CHARS} characters`);
const identifier = z.string().trim().min(1).max(200);
const pageUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const widgetSessionRequestSchema = z.object({
  writeKey: z.string().min(1).max(200).optional(),
  anonymousId: identifier,
  userId: identifier.optional(),
  /** Hex HMAC-SHA256 of userId under the site's identity secret, computed by the shop's server. */
  userHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters')
    .optional(),
});
export type WidgetSessionRequest = z.infer<typeof widgetSessionRequestSchema>;

export interface WidgetSession {
  token: string;
  expiresAt: string;
  /** The user id the token is bound to (only when its hash was valid). */
  userId: string | null;
  /** Whether the shop is within its business hours now. */
  online: boolean;
  awayMessage: string;
}

export const conversationKinds = ['chat', 'feedback', 'complaint'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export const chatStatuses = ['open', 'closed'] as const;
export const complaintStatuses = ['registered', 'in_review', 'validated', 'rejected', 'resolved', 'closed'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

export const startChatSchema = z.object({
  text,
  email: z.email().max(254).optional(),
  pageUrl: pageUrl.optional(),
});
export type StartChat = z.infer<typeof startChatSchema>;

export const sendMessageSchema = z.object({ text });
export type SendMessage = z.infer<typeof sendMessageSchema>;

export const feedbackSchema = z.object({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(MAX_TEXT_CHARS).optional(),
  pageUrl,
});
export type Feedback = z.infer<typeof feedbackSchema>;

export const newComplaintSchema = z.object({
  category: z.string().trim().min(1).max(100),
  orderNumber: z.string().trim().min(1).max(100).optional(),
  description: text,
  email: z.email().max(254).optional(),
});
export type NewComplaint = z.infer<typeof newComplaintSchema>;

export const complaintLookupSchema = z.object({
  ticket: z.string().regex(/^RC-\d{4}-\d{6,}$/, 'a ticket number like RC-2026-000123'),
  email: z.email().max(254).optional(),
});

export interface WireMessage {
  /** Also the SSE event id: increases with every message of the site. */
  id: number;
  conversationId: string;
  author: 'visitor' | 'agent' | 'system';
  /** For system messages: what happened (`status_changed`, `assigned`); the body holds the new value. */
  event: string | null;
  text: string;
  createdAt: string;
}

/** Staff see every message, with who sent it and whether the visitor sees it. */
export interface StaffWireMessage extends WireMessage {
  visibility: 'public' | 'staff';
  staffUserId: string | null;
}

export interface WireConversation {
  id: string;
  kind: ConversationKind;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface WireComplaintStatus {
  ticket: string;
  conversationId: string;
  status: ComplaintStatus;
  category: string;
  orderNumber: string | null;
  createdAt: string;
  /** The shop's answer, once the complaint is resolved. */
  response: string | null;
  history: { status: ComplaintStatus; at: string }[];
  photos: string[];
}

/** Staff side. */
export const staffActorField = z.string().trim().min(1).max(254).optional();

export const listConversationsQuerySchema = z.object({
  kind: z.enum(conversationKinds).optional(),
  status: z.string().max(40).optional(),
  /** A staff user id, or `none` for unassigned. */
  assignee: z.string().max(254).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Beside each conversation of the staff list. */
export interface InboxPreview {
  /** The complaint's ticket number (null for chats and feedback). */
  ticket: string | null;
  /** The latest message a person wrote (text shortened), or null when there is none yet. */
  lastMessage: { id: number; author: 'visitor' | 'agent' | 'system'; text: string; createdAt: string } | null;
  /** A visitor wrote after what the signed-in staff user last read (always false with the secret key). */
  unread: boolean;
}

/** The staff user has read the conversation up to this message id. */
export const markReadSchema = z.object({ upTo: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

export const staffReplySchema = z.object({ text, actor: staffActorField });
export const assignSchema = z.object({
  assignee: z.string().trim().min(1).max(254).nullable(),
  actor: staffActorField,
});
export const chatStatusSchema = z.object({ status: z.enum(chatStatuses), actor: staffActorField });

export const complaintActions = ['review', 'validate', 'reject', 'resolve', 'close'] as const;
export type ComplaintAction = (typeof complaintActions)[number];
export const complaintTransitionSchema = z.object({
  action: z.enum(complaintActions),
  text: z.string().trim().min(1).max(MAX_TEXT_CHARS).optional(),
  /** With the secret key, required: the role of this staff user decides what they may do (a session is the actor). */
  actor: staffActorField,
});
