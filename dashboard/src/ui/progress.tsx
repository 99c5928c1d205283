// Progress of long work (exports, rebuilds): a native progressbar with its figure in words.

import { formatPercent } from '../i18n/format.ts';
import { useMessages } from '../i18n/index.ts';
import { messages } from './messages.ts';

/** `done` of `total`; an unknown total shows an indeterminate bar. */
export function ProgressBar({ done, total, label }: { done: number; total?: number; label?: string }) {
  const t = useMessages(messages);
  const name = label ?? t.progress;
  return (
    <div class="progress">
      <progress aria-label={name} value={total ? done : undefined} max={total || undefined} />
      <span aria-live="polite">{total ? formatPercent(Math.min(1, done / total), 0) : done}</span>
    </div>
  );
}
