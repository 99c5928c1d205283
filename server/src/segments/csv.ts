// The CSV export of a segment's members, streamed in keyset pages so 100k members never sit in memory at once.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { WireSegmentMember } from '../protocol/index.ts';
import { csvField } from '../surveys/index.ts';
import { pageMembers, type SegmentQuery } from './queries.ts';

export const CSV_PAGE = 1000;

const HEADER = [
  'profile_id',
  'user_id',
  'email',
  'name',
  'sessions',
  'page_views',
  'orders',
  'revenue',
  'last_seen',
  'last_order_at',
];

function line(m: WireSegmentMember): string {
  const cells = [
    m.profileId,
    m.userId,
    m.email,
    m.name,
    m.sessions,
    m.pageViews,
    m.orders,
    m.revenue,
    m.lastSeen,
    m.lastOrderAt,
  ];
  // csvField defuses cells a spreadsheet would run as formulas: emails and names are shoppers' input.
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A header, then the members ordered by profile id; `q.now` is fixed once so every page sees the same segment. */
export function membersCsv(db: Kysely<Database>, q: SegmentQuery, pageSize = CSV_PAGE): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    // pull runs only when the consumer wants more, so a slow download holds back the reads.
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${HEADER.join(',')}\r\n`));
        return;
      }
      const { members, nextCursor } = await pageMembers(db, q, { cursor, limit: pageSize });
      if (members.length > 0) controller.enqueue(encoder.encode(members.map(line).join('')));
      if (nextCursor === null) controller.close();
      else cursor = nextCursor;
    },
  });
}
