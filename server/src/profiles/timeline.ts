// The customer file's timeline: the person's events (page views, orders, …) with their chats, feedback, complaints
// and survey answers woven in by time, paged by the events' cursor.
import type { Kysely } from 'kysely';
import { exportConversations } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';
import { exportSurveyResponses } from '../surveys/index.ts';
import type { Person } from './person.ts';
import { type TimelineCursor, timeline } from './queries.ts';

/** A conversation's first words shown on the timeline; the inbox has the rest. */
export const PREVIEW_CHARS = 200;

type EventItem = Awaited<ReturnType<typeof timeline>>['items'][number];
type Conversation = Awaited<ReturnType<typeof exportConversations>>[number];
type SurveyResponse = Awaited<ReturnType<typeof exportSurveyResponses>>['responses'][number];

export type TimelineItem =
  | ({ kind: 'event' } & EventItem)
  | {
      kind: 'conversation';
      at: string;
      conversation: {
        id: string;
        kind: Conversation['kind'];
        status: string;
        rating: number | null;
        pageUrl: string | null;
        messages: number;
        preview: string | null;
        complaint: { ticket: string; category: string; orderNumber: string | null } | null;
      };
    }
  | {
      kind: 'survey_response';
      at: string;
      response: { id: string; surveyId: string; url: string | null; answers: SurveyResponse['answers'] };
    };

function conversationItem(c: Conversation): TimelineItem {
  const first = c.messages.find((m) => m.author === 'visitor' && m.event === null);
  return {
    kind: 'conversation',
    at: c.createdAt,
    conversation: {
      id: c.id,
      kind: c.kind,
      status: c.status,
      rating: c.rating,
      pageUrl: c.pageUrl,
      messages: c.messages.filter((m) => m.event === null).length,
      preview: first ? first.text.slice(0, PREVIEW_CHARS) : null,
      complaint: c.complaint
        ? { ticket: c.complaint.ticket, category: c.complaint.category, orderNumber: c.complaint.order_number }
        : null,
    },
  };
}

/**
 * A page of the person's timeline, newest first. The page holds `limit` events and every conversation and survey
 * answer from the oldest of them up to the cursor (on the last page: everything older too), so each item appears
 * on exactly one page however the events fall. A person has few conversations and answers: they are read whole.
 */
export async function personTimeline(
  db: Kysely<Database>,
  person: Person,
  options: { cursor?: TimelineCursor | undefined; limit: number; hideBehaviour?: boolean },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const [events, conversations, surveys] = await Promise.all([
    timeline(db, person, options),
    exportConversations(db, person.siteId, person),
    exportSurveyResponses(db, person.siteId, person),
  ]);
  const upTo = options.cursor?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const oldest = events.items.at(-1);
  const from = events.nextCursor && oldest ? new Date(oldest.at).getTime() : Number.NEGATIVE_INFINITY;
  const onPage = (at: string) => {
    const t = new Date(at).getTime();
    return t >= from && t < upTo;
  };
  const others: TimelineItem[] = [
    ...conversations.filter((c) => onPage(c.createdAt)).map(conversationItem),
    ...surveys.responses
      .filter((r) => onPage(r.createdAt))
      .map(
        (r): TimelineItem => ({
          kind: 'survey_response',
          at: r.createdAt,
          response: { id: r.id, surveyId: r.surveyId, url: r.url, answers: r.answers },
        }),
      ),
  ];
  const items: TimelineItem[] = [...events.items.map((e): TimelineItem => ({ kind: 'event', ...e })), ...others];
  // Stable: at equal times events keep their order and come first.
  items.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
  return { items, nextCursor: events.nextCursor };
}
