// Asks before an action that cannot be undone, naming what it acts on; the question takes the focus when shown.
import { useEffect, useId, useRef } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import { messages } from './messages.ts';

export function Confirm({
  question,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  question: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useMessages(messages);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div class="confirm" role="alertdialog" aria-labelledby={id} tabIndex={-1} ref={box}>
      <p id={id}>{question}</p>
      <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
        {confirmLabel}
      </button>{' '}
      <button type="button" disabled={busy} onClick={onCancel}>
        {t.cancel}
      </button>
    </div>
  );
}
