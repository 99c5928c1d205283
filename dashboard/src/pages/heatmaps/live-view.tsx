// "Open on the live page": asks the server for a short-lived signed token and opens the shop's page with it in
// the fragment, where the SDK loads the overlay that draws this heatmap over the real layout.
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import type { DayRange } from '../../ui/date-range.tsx';
import { ErrorNote } from '../../ui/notice.tsx';
import { messages } from './messages.ts';

/** The fragment the SDK looks for (a fragment never reaches the shop's server or a Referer header). */
export const OVERLAY_FRAGMENT = 'fideliza-heatmap';

export const liveUrl = (origin: string, path: string, token: string) =>
  `${origin}${path}#${OVERLAY_FRAGMENT}=${encodeURIComponent(token)}`;

export function LiveView({ path, range, origin }: { path: string; range: DayRange; origin: string | undefined }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; expiresAt?: string }>({});
  if (!origin) return <p class="hint">{t.liveNoOrigin}</p>;

  const open = async () => {
    // Opened at once, inside the click, so no pop-up blocker stops it; it is sent to the page once signed.
    const tab = window.open('', '_blank');
    if (!tab) {
      setState({ error: new Error(t.liveBlocked) });
      return;
    }
    tab.opener = null;
    setState({ busy: true });
    try {
      const { token, expiresAt } = await call(
        api.api.heatmaps['overlay-token'].$post({ json: { path, from: range.from, to: range.to } }),
      );
      tab.location.href = liveUrl(origin, path, token);
      setState({ expiresAt });
    } catch (error) {
      tab.close();
      setState({ error });
    }
  };

  return (
    <div class="heat-live">
      <button type="button" class="primary" disabled={state.busy} onClick={() => void open()}>
        {state.busy ? t.openingLive : t.openLive}
      </button>
      <p class="hint" aria-live="polite">
        {state.expiresAt ? t.liveOpened(formatDateTime(state.expiresAt)) : t.liveHint}
      </p>
      {state.error !== undefined && <ErrorNote error={state.error} />}
    </div>
  );
}
