// First start with --demo: creates the demo site, its generated history, a staff team, chats, complaints and
// survey answers, through an in-process app (the same API a shop and its staff use).
import { findSiteMember } from '../auth/index.ts';
import type { Db } from '../db/index.ts';
import { createApp } from '../http/app.ts';
import { RateLimiter } from '../ingest/index.ts';
import { createSite, listSites } from '../sites/index.ts';
import { defaultHistory, type HistoryCounts } from './generate.ts';
import { ingestHistory, progressLine } from './ingest.ts';
import { DEMO_SITE } from './routes.ts';
import { createDemoStaff, createSupportHistory, type DemoStaff, STAFF_DOMAIN, type SupportCounts } from './support.ts';

const ADMIN_EMAIL = `admin@${STAFF_DOMAIN}`;

export interface DemoOptions {
  /** The port the server will listen on: the shop's origin, and the origin its events are allowed from. */
  port: number;
  seed?: number;
  customers?: number;
  days?: number;
  end?: Date;
  chats?: number;
  complaintsPerState?: number;
  surveyResponses?: number;
  /** Progress lines (on stderr at the command line). */
  onProgress?: (line: string) => void;
}

export type DemoSetup =
  | { created: false; complete: boolean; siteId: string; writeKey: string }
  | {
      created: true;
      siteId: string;
      writeKey: string;
      secretKey: string;
      staff: DemoStaff[];
      events: HistoryCounts;
      accepted: number;
      support: SupportCounts;
      elapsedMs: number;
    };

/** Far above anything generation does: the demo's own requests must never be throttled. */
const unlimited = () => new RateLimiter(1e9, 1e9);

/** Creates the demo site and its history unless it exists. */
export async function setupDemo(db: Db, o: DemoOptions): Promise<DemoSetup> {
  const existing = (await listSites(db.kysely)).find((s) => s.name === DEMO_SITE);
  if (existing) {
    // The admin is created last: without it the first start was interrupted half-way.
    const complete = (await findSiteMember(db.kysely, existing.siteId, ADMIN_EMAIL)) !== null;
    return { created: false, complete, siteId: existing.siteId, writeKey: existing.writeKey };
  }

  const started = Date.now();
  const origins = [`http://localhost:${o.port}`, `http://127.0.0.1:${o.port}`];
  const origin = origins[0] as string;
  // The demo shop shows the widget: chats, complaints and surveys are part of what the demo is for.
  const site = await createSite(db.kysely, { name: DEMO_SITE, origins, settings: { widget: { enabled: true } } });
  // An app of its own, in process, with no rate limits (http/app.ts imports this folder for /demo, but
  // createApp is only called here at run time, so the import cycle is harmless).
  const { app, drain, closeRealtime } = createApp({
    db,
    config: { TRUST_PROXY: true, RATE_LIMIT_RPS: 1e9, RATE_LIMIT_BURST: 1e9 },
    conversations: { limits: { newConversations: unlimited(), messages: unlimited() } },
    surveys: { limits: { responses: unlimited(), impressions: unlimited() } },
  });
  const request = (path: string, init: RequestInit) => app.request(path, init);
  try {
    const history = {
      seed: o.seed ?? defaultHistory.seed,
      customers: o.customers ?? defaultHistory.customers,
      days: o.days ?? defaultHistory.days,
      end: o.end ?? new Date(),
      origin,
    };
    let lastLine = 0;
    const { counts, accepted } = await ingestHistory(request, site.writeKey, history, (p) => {
      // A line a second is enough to show it moves.
      if (p.sent === p.total || Date.now() - lastLine >= 1000) {
        lastLine = Date.now();
        o.onProgress?.(progressLine(p));
      }
    });
    o.onProgress?.('demo: staff, chats, complaints and survey answers…');
    const team = await createDemoStaff(db.kysely, site.siteId, ['marketer', 'agent', 'validator']);
    const support = await createSupportHistory(
      db.kysely,
      request,
      {
        seed: history.seed,
        siteId: site.siteId,
        writeKey: site.writeKey,
        secretKey: site.secretKey,
        origin,
        customers: history.customers,
        chats: o.chats ?? 24,
        complaintsPerState: o.complaintsPerState ?? 3,
        surveyResponses: o.surveyResponses ?? 150,
      },
      team,
    );
    const staff = [...(await createDemoStaff(db.kysely, site.siteId, ['admin'])), ...team];
    return {
      created: true,
      siteId: site.siteId,
      writeKey: site.writeKey,
      secretKey: site.secretKey,
      staff,
      events: counts,
      accepted,
      support,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await drain();
    await closeRealtime();
  }
}
