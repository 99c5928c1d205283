// Abuse limits of the widget API, kept in process memory (each server process counts on its own).
import { RateLimiter } from '../ingest/index.ts';

export interface ConversationLimits {
  /** New conversations (chat, feedback, complaint) per site and IP. */
  newConversations: RateLimiter;
  /** Messages (and status lookups) per site and visitor. */
  messages: RateLimiter;
}

const TWELVE_HOURS_S = 12 * 60 * 60;

/** 6 new conversations per IP per 12 h, 60 messages per visitor per minute, as token buckets. */
export function defaultLimits(now: () => number = Date.now): ConversationLimits {
  return {
    newConversations: new RateLimiter(6 / TWELVE_HOURS_S, 6, now),
    messages: new RateLimiter(1, 60, now),
  };
}
