// The live count while a tree is edited: asked a moment after the last change, and only the latest answer shown
// (an older request is aborted, and its late answer ignored).
import { useEffect, useRef, useState } from 'preact/hooks';

export interface LiveCount {
  count?: number;
  error?: unknown;
  pending: boolean;
}

/** Debounce: typing a number of days should not send a request per key. */
export const COUNT_DELAY_MS = 400;

/** `rules` null: nothing to count yet (no request). */
export function useLiveCount<R>(
  rules: R | null,
  count: (rules: R, signal: AbortSignal) => Promise<number>,
  delayMs = COUNT_DELAY_MS,
): LiveCount {
  const key = JSON.stringify(rules);
  const [state, setState] = useState<LiveCount>({ pending: true });
  const latest = useRef(count);
  latest.current = count;

  useEffect(() => {
    if (rules === null) {
      setState({ pending: false });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const controller = new AbortController();
    const timer = setTimeout(() => {
      latest.current(JSON.parse(key) as R, controller.signal).then(
        (n) => controller.signal.aborted || setState({ count: n, pending: false }),
        (error: unknown) => controller.signal.aborted || setState({ error, pending: false }),
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, delayMs]);

  return state;
}
