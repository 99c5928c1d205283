// Group commit: who is written with whom, and when each caller hears back.
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

interface Write {
  items: string[];
  succeed: (stored?: boolean[]) => void;
  fail: (error: Error) => void;
}

/** A store whose writes finish only when the test says so. */
function manualStore() {
  const writes: Write[] = [];
  const write = (items: string[]) =>
    new Promise<boolean[]>((resolve, reject) => {
      writes.push({ items, succeed: (stored) => resolve(stored ?? items.map(() => true)), fail: reject });
    });
  return { writes, write };
}

/** Follows a promise without awaiting it, so a test can see whether it has settled yet. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/** Lets every pending promise callback run (one turn of the event loop; no timer involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes the first request at once and groups those arriving meanwhile into the next write', async () => {
    const store = manualStore();
    const commit = new GroupCommit(store.write, { maxItems: 100, maxInFlight: 1 });
    const a = watch(commit.submit(['a1', 'a2']));
    expect(store.writes.map((w) => w.items)).toEqual([['a1', 'a2']]);

    const b = watch(commit.submit(['b1']));
    const c = watch(commit.submit(['c1', 'c2', 'c3']));
    await settle();
    // Nothing more is written while the first write is in flight.
    expect(store.writes).toHaveLength(1);

    store.writes[0]?.succeed();
    await settle();
    expect(a).toEqual({ settled: true, value: [true, true] });
    expect(store.writes.map((w) => w.items)).toEqual([
      ['a1', 'a2'],
      ['b1', 'c1', 'c2', 'c3'],
    ]);
    // b and c wait for their own write, not a's.
    expect([b.settled, c.settled]).toEqual([false, false]);

    store.writes[1]?.succeed([false, true, false, true]);
    await settle();
    // Each caller gets the answers for its own items.
    expect(b).toEqual({ settled: true, value: [false] });
    expect(c).toEqual({ settled: true, value: [true, false, true] });
  });

  it('when a group fails, tries each request alone so only the one that cannot be written fails', async () => {
    const store = manualStore();
    const commit = new GroupCommit(store.write, { maxItems: 100, maxInFlight: 1 });
    const a = watch(commit.submit(['a']));
    const b = watch(commit.submit(['b']));
    const c = watch(commit.submit(['c']));
    store.writes[0]?.succeed();
    await settle();
    expect(store.writes[1]?.items).toEqual(['b', 'c']);
    store.writes[1]?.fail(new Error('value out of range'));
    await settle();
    // Neither is answered yet: both are retried on their own.
    expect([b.settled, c.settled]).toEqual([false, false]);
    expect([store.writes[2]?.items, store.writes[3]?.items]).toEqual([['b'], ['c']]);
    const poison = new Error('value out of range');
    store.writes[2]?.fail(poison);
    store.writes[3]?.succeed();
    await settle();
    expect(a).toEqual({ settled: true, value: [true] });
    expect(b).toEqual({ settled: true, error: poison });
    expect(c).toEqual({ settled: true, value: [true] });

    // The committer goes on working after a failure.
    const d = watch(commit.submit(['d']));
    expect(store.writes[4]?.items).toEqual(['d']);
    store.writes[4]?.succeed();
    await settle();
    expect(d).toEqual({ settled: true, value: [true] });
  });

  it('caps a write at maxItems but always takes at least one request, however large', async () => {
    const store = manualStore();
    const commit = new GroupCommit(store.write, { maxItems: 3, maxInFlight: 1 });
    const all = [
      commit.submit(['a']),
      commit.submit(['b']),
      commit.submit(['c1', 'c2']),
      commit.submit(['d1', 'd2', 'd3', 'd4']),
      commit.submit(['e']),
      commit.submit(['f']),
    ];
    for (let i = 0; i < 4; i++) {
      store.writes[i]?.succeed();
      await settle();
    }
    await Promise.all(all);
    expect(store.writes.map((w) => w.items)).toEqual([['a'], ['b', 'c1', 'c2'], ['d1', 'd2', 'd3', 'd4'], ['e', 'f']]);
  });

  it('runs up to maxInFlight writes at once', async () => {
    const store = manualStore();
    const commit = new GroupCommit(store.write, { maxItems: 100, maxInFlight: 2 });
    const a = watch(commit.submit(['a']));
    const b = watch(commit.submit(['b']));
    const c = watch(commit.submit(['c']));
    expect(store.writes.map((w) => w.items)).toEqual([['a'], ['b']]);
    // The second write may finish first; its caller hears back at once.
    store.writes[1]?.succeed();
    await settle();
    expect([a.settled, b.settled, c.settled]).toEqual([false, true, false]);
    expect(store.writes.map((w) => w.items)).toEqual([['a'], ['b'], ['c']]);
    store.writes[0]?.succeed();
    store.writes[2]?.succeed();
    await settle();
    expect([a.settled, c.settled]).toEqual([true, true]);
  });

  it('drain() resolves at once when idle, otherwise after every queued and running write', async () => {
    const store = manualStore();
    const commit = new GroupCommit(store.write, { maxItems: 100, maxInFlight: 1 });
    await commit.drain();

    const a = watch(commit.submit(['a']));
    const b = watch(commit.submit(['b']));
    const drained = watch(commit.drain());
    store.writes[0]?.succeed();
    await settle();
    // a is done but b is still to be written.
    expect([a.settled, b.settled, drained.settled]).toEqual([true, false, false]);
    store.writes[1]?.fail(new Error('disk full'));
    await settle();
    // A failed write counts as finished: drain does not hang on it.
    expect([b.settled, drained.settled]).toEqual([true, true]);
    await commit.drain();
  });
});
