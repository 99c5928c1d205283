// When to reclassify: a site whose orders or profiles changed at most every `minIntervalMs`, and every site
// once per `refreshMs` for the parts that move with the clock alone (recency, lapsing, churn risk).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { listSites } from '../sites/index.ts';
import { classifySite } from './classify.ts';

export interface ClassifySchedule {
  /** Least time between two runs for a changed site (default 10 s). */
  minIntervalMs?: number;
  /** Every site is reclassified at least this often (default 1 h). */
  refreshMs?: number;
}

export class ClassificationScheduler {
  private readonly dirty = new Set<string>();
  /** Last run per site in this process; a site never run here is due (the clock moved while it was down). */
  private readonly lastRun = new Map<string, number>();
  private readonly minIntervalMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: ClassifySchedule = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 10_000;
    this.refreshMs = options.refreshMs ?? 3_600_000;
  }

  /** The site's profiles or orders changed (called from the projector's batch; cheap). */
  markDirty(siteId: string): void {
    this.dirty.add(siteId);
  }

  /** Runs what is due; returns the sites classified. One failing site does not hold back the rest. */
  async runDue(): Promise<string[]> {
    const now = this.clock();
    const sites = (await listSites(this.db)).map((s) => s.siteId);
    const due = sites.filter((id) => {
      const last = this.lastRun.get(id);
      if (last === undefined) return true;
      return this.dirty.has(id) ? now - last >= this.minIntervalMs : now - last >= this.refreshMs;
    });
    const done: string[] = [];
    for (const id of due) {
      // Cleared before the run: changes projected while it runs mark the site again.
      this.dirty.delete(id);
      this.lastRun.set(id, now);
      try {
        await classifySite(this.db, id, { now: new Date(now) });
        done.push(id);
      } catch (error) {
        this.dirty.add(id);
        console.error(`classification of site ${id} failed, will retry`, error);
      }
    }
    return done;
  }
}
