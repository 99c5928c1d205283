// The projector: follows each site's event log from a stored cursor and folds the events into the derived
// tables. The cursor is (xid, seq) plus the writers it passed while they were still running (see batch.ts). One transaction holds a batch's writes and its cursor advance, so a crash loses nothing and
// applies nothing twice; the cursor row is locked (skip locked), so several server processes never
// project the same site at once.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { applyHeatmapEvents } from '../heatmaps/index.ts';
import { applyRecommendationEvents } from '../recommend/index.ts';
import { listSites } from '../sites/index.ts';
import { BatchState } from './apply.ts';
import { readBatch } from './batch.ts';
import { ClassificationScheduler, type ClassifySchedule } from './classify-schedule.ts';

export interface ProjectorOptions {
  /** Events per batch (one transaction); 5000 by default: each statement's fixed cost is spread over more events. */
  batchSize?: number;
  /** How often to look for new events when nobody wakes it (other processes' ingest, missed wakes). */
  intervalMs?: number;
  /** How often the background loop reclassifies changed sites, and all sites. */
  classify?: ClassifySchedule;
}

export interface ProjectorStats {
  /** Events projected by this process. */
  events: number;
  batches: number;
  /** Events that could not be projected (bad data the checks missed) and were stepped over. */
  skipped: number;
}

/** The site is being projected by another process right now. */
const LOCKED = 'locked';

interface BatchResult {
  events: number;
  /** The batch was full: there may be more right away. */
  more: boolean;
}

const isDataError = (e: unknown) => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
};

/**
 * Waits for every task, then throws the error that came first: the one that aborted the transaction, where the
 * others only report that it was aborted. Waiting for all matters: none may go on using the transaction's
 * connection after it is rolled back and handed back to the pool.
 */
async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const errors: unknown[] = [];
  await Promise.all(tasks.map((task) => task.catch((error: unknown) => errors.push(error))));
  if (errors.length > 0) throw errors[0];
}

export class Projector {
  readonly stats: ProjectorStats = { events: 0, batches: 0, skipped: 0 };
  /** Reclassification is run by the background loop only; projectAll/projectSite leave it to their callers. */
  readonly classification: ClassificationScheduler;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private woken = false;
  private wakeSleeper: (() => void) | undefined;
  private readonly cursorsMade = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.intervalMs = options.intervalMs ?? 1000;
    this.classification = new ClassificationScheduler(db, options.classify);
  }

  /** Projects in the background until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New events were committed: look now instead of at the next tick (cheap; safe to call often). */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  /** Finishes the batch in progress and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.woken = false;
      try {
        await this.projectAll(() => this.running);
        if (this.running) await this.classification.runDue();
        failures = 0;
      } catch (error) {
        failures++;
        console.error('projector: batch failed, will retry', error);
      }
      if (!this.running) break;
      if (this.woken && failures === 0) continue;
      const wait = failures === 0 ? this.intervalMs : Math.min(30_000, this.intervalMs * 2 ** failures);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wakeSleeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeSleeper = undefined;
    }
  }

  /** Brings every site up to date (one batch per site per round, so a busy site does not starve the rest). */
  async projectAll(keepGoing: () => boolean = () => true): Promise<number> {
    const siteIds = await this.ensureCursors();
    let total = 0;
    let pending = siteIds;
    while (pending.length > 0 && keepGoing()) {
      const next: string[] = [];
      for (const siteId of pending) {
        const result = await this.projectBatch(siteId);
        if (result === LOCKED) continue;
        total += result.events;
        if (result.more) next.push(siteId);
      }
      pending = next;
    }
    return total;
  }

  /** Brings one site up to date, waiting for another process that holds it; reports each batch. */
  async projectSite(siteId: string, onBatch: (events: number) => void = () => {}): Promise<number> {
    await this.ensureCursors([siteId]);
    let total = 0;
    for (;;) {
      const result = await this.projectBatch(siteId);
      if (result === LOCKED) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      total += result.events;
      if (result.events > 0) onBatch(result.events);
      if (!result.more) return total;
    }
  }

  /** One batch of one site; a batch that fails on its data is retried event by event to step over the bad one. */
  async projectBatch(siteId: string, limit = this.batchSize): Promise<BatchResult | typeof LOCKED> {
    try {
      return await this.tryBatch(siteId, limit);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (limit > 1) {
        const total: BatchResult = { events: 0, more: true };
        for (let i = 0; i < limit && total.more; i++) {
          const one = await this.projectBatch(siteId, 1);
          if (one === LOCKED) return total;
          total.events += one.events;
          total.more = one.more;
        }
        return total;
      }
      // What one step read (one event past the cursor, and any finished pending writer's rows) is left out.
      console.error(`projector: skipping events of site ${siteId} that cannot be projected:`, error);
      return this.tryBatch(siteId, 1, true);
    }
  }

  private tryBatch(siteId: string, limit: number, skip = false): Promise<BatchResult | typeof LOCKED> {
    return this.db.transaction().execute(async (trx) => {
      const cursor = await trx
        .selectFrom('projector_cursors')
        .select([sql<string>`last_xid::text`.as('xid'), 'last_seq', sql<string[]>`pending::text[]`.as('pending')])
        .where('site_id', '=', siteId)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!cursor) return LOCKED;
      // For this transaction only:
      // - a batch a crash loses is lost together with its cursor advance and projected again, so the commit need
      //   not wait for the WAL flush (a later commit that waits flushes this one too);
      // - no bitmap scans: readBatch's next events in (xid, seq) order come from merging the log partitions'
      //   indexes and stopping after `limit` rows. On partitions without statistics (filled since they were last
      //   analyzed; PGlite never analyzes) the planner takes the rows past the cursor for a handful and prefers
      //   a bitmap scan of all of them and a sort, for every batch: quadratic in the backlog.
      await sql`select set_config('synchronous_commit', 'off', true), set_config('enable_bitmapscan', 'off', true)`.execute(
        trx,
      );
      const batch = await readBatch(
        trx,
        siteId,
        { xid: cursor.xid, seq: cursor.last_seq, pending: cursor.pending },
        limit,
      );
      const { events, next } = batch;
      if (events.length > 0 && !skip) {
        const state = new BatchState(trx, siteId);
        // The three write disjoint tables, so their statements may interleave on the transaction's connection: the
        // JavaScript of one (grouping, parameters, parsing answers) runs while Postgres executes another's statement.
        await settleAll([
          (async () => {
            await state.load(events);
            for (const e of events) state.apply(e);
            await state.flush();
          })(),
          applyHeatmapEvents(trx, events),
          applyRecommendationEvents(trx, events),
        ]);
        // Throttled by the scheduler; marking a site whose batch rolls back only costs one early run.
        this.classification.markDirty(siteId);
      }
      if (batch.moved) {
        await trx
          .updateTable('projector_cursors')
          .set({ last_xid: next.xid, last_seq: next.seq, pending: next.pending, updated_at: sql`now()` })
          .where('site_id', '=', siteId)
          .execute();
      }
      if (skip) this.stats.skipped += events.length;
      else if (events.length > 0) {
        this.stats.events += events.length;
        this.stats.batches++;
      }
      return { events: skip ? 0 : events.length, more: batch.windowCount === limit };
    });
  }

  /** Every site gets its cursor row (at the start of its log) before it is projected. */
  private async ensureCursors(siteIds?: string[]): Promise<string[]> {
    const ids = siteIds ?? (await listSites(this.db)).map((s) => s.siteId);
    // Only sites this process has not seen yet: an idle tick then writes nothing.
    const fresh = ids.filter((id) => !this.cursorsMade.has(id));
    if (fresh.length) {
      await this.db
        .insertInto('projector_cursors')
        .values(fresh.map((site_id) => ({ site_id })))
        .onConflict((oc) => oc.column('site_id').doNothing())
        .execute();
      for (const id of fresh) this.cursorsMade.add(id);
    }
    return ids;
  }

  /** Committed events not yet projected, over all sites (or one). */
  async lag(siteId?: string): Promise<number> {
    const ids = siteId ? [siteId] : (await listSites(this.db)).map((s) => s.siteId);
    if (!ids.length) return 0;
    const { rows } = await sql<{ lag: number }>`
      select coalesce(sum(l.n), 0)::int8 as lag
      from unnest(${ids}::text[]) as s(site_id)
      left join projector_cursors c on c.site_id = s.site_id
      cross join lateral (
        select (select count(*) from events e where e.site_id = s.site_id
                  and (e.xid, e.seq) > (coalesce(c.last_xid, '0'::xid8), coalesce(c.last_seq, 0)))
             + (select count(*) from events e where e.site_id = s.site_id and e.xid = any(coalesce(c.pending, '{}'))) as n
      ) l`.execute(this.db);
    return Number(rows[0]?.lag ?? 0);
  }
}
