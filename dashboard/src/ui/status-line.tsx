// The server's readiness, asked on mount and every 30 s, announced politely to screen readers.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { type Api, type ServerStatus, serverStatus } from '../api.ts';
import type { Messages } from '../i18n/index.ts';

const REFRESH_MS = 30_000;

export function StatusLine({ api, t }: { api: Api; t: Messages }) {
  const status = useSignal<ServerStatus | 'checking'>('checking');

  useEffect(() => {
    let live = true;
    const check = async () => {
      const next = await serverStatus(api);
      if (live) status.value = next;
    };
    void check();
    const timer = setInterval(check, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);

  return (
    <p class={`status status-${status.value}`} role="status">
      <span class="dot" aria-hidden="true" />
      {t.status[status.value]}
    </p>
  );
}
