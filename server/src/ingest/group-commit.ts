// Group commit: requests that arrive while a write is in flight are written together in the next one,
// and each request is answered only after the commit that holds its items.

interface Pending<T> {
  items: T[];
  resolve: (stored: boolean[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items in one write. */
  maxItems: number;
  /** Writes running at once (each holds a database connection). */
  maxInFlight: number;
}

/** `write` stores the items and says, for each, whether it was new (true) or already stored (false). */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly write: (items: T[]) => Promise<boolean[]>,
    private readonly options: GroupCommitOptions = { maxItems: 5000, maxInFlight: 2 },
  ) {}

  /** Resolves once the items are committed. */
  submit(items: T[]): Promise<boolean[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.pump();
    });
  }

  /** Resolves when nothing is queued or being written. */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.take();
      this.inFlight++;
      this.flush(group).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const done of this.idle.splice(0)) done();
      });
    }
  }

  private take(): Pending<T>[] {
    let count = 0;
    let n = 0;
    // Always take at least one request, even one larger than maxItems.
    while (
      n < this.queue.length &&
      (n === 0 || count + (this.queue[n] as Pending<T>).items.length <= this.options.maxItems)
    ) {
      count += (this.queue[n] as Pending<T>).items.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async flush(group: Pending<T>[]): Promise<void> {
    try {
      const stored = await this.write(group.flatMap((p) => p.items));
      let offset = 0;
      for (const p of group) {
        p.resolve(stored.slice(offset, offset + p.items.length));
        offset += p.items.length;
      }
    } catch (error) {
      if (group.length === 1) return (group[0] as Pending<T>).reject(error);
      // One request's bad row must not fail the others written with it: each is tried again alone.
      await Promise.all(group.map((p) => this.flush([p])));
    }
  }
}
