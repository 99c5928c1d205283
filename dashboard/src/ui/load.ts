// Loading data for a component: the latest request wins, an unmounted component is never updated.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Load<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Asks again (after a change); keeps showing the previous data meanwhile. */
  reload: () => void;
}

/** Runs `fetcher` on mount and whenever `deps` change; a response to an older request is dropped. */
export function useLoad<T>(fetcher: () => Promise<T>, deps: readonly unknown[]): Load<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;

  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    latest.current().then(
      (data) => {
        if (mine === generation.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    run();
    // An unmounted component's pending answer is ignored.
    return () => {
      generation.current++;
    };
  }, deps);

  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}
