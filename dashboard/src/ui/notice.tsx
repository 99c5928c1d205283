// The three states a page shows besides its data: loading, failed (with the server's reason), empty.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.ts';
import { useMessages } from '../i18n/index.ts';
import { messages } from './messages.ts';

export function Loading() {
  const t = useMessages(messages);
  return (
    <p class="notice notice-loading" role="status">
      {t.loading}
    </p>
  );
}

/** The reason in words: the server's message for a refused request, ours for the network or a bug. */
export function errorText(error: unknown, t = messages.en): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t.network;
    if (error.status === 403 && error.code === 'role_not_allowed') return t.forbidden;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useMessages(messages);
  return (
    <div class="notice notice-error" role="alert">
      <strong>{t.errorTitle}</strong>
      <p>{errorText(error, t)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  const t = useMessages(messages);
  return <p class="notice notice-empty">{children ?? t.empty}</p>;
}

/** Loading, error or content, for a `useLoad` result. */
export function Loaded<T>({
  load,
  children,
}: {
  load: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  children: (data: T) => ComponentChildren;
}) {
  if (load.error !== undefined && load.data === undefined)
    return <ErrorNote error={load.error} onRetry={load.reload} />;
  if (load.data === undefined) return <Loading />;
  return (
    <>
      {load.error !== undefined && <ErrorNote error={load.error} onRetry={load.reload} />}
      {children(load.data)}
    </>
  );
}
