// Small pieces the settings sections share: a copy button, a form's outcome line, a section.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { errorFor, type FormError } from './errors.ts';
import { messages } from './messages.ts';

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useMessages(messages);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span class="copy">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        {t.copy}
      </button>
      <span role="status" class={state === 'failed' ? 'error-text' : 'hint'}>
        {state === 'copied' ? t.copied : state === 'failed' ? t.copyFailed : ''}
      </span>
    </span>
  );
}

/** A value to copy, shown whole (keys, passwords, snippets); `label` names it for the copy button. */
export function Copyable({ value, label, multiline }: { value: string; label: string; multiline?: boolean }) {
  const t = useMessages(messages);
  return (
    <div class={multiline ? 'copyable copyable-block' : 'copyable'}>
      {multiline ? (
        <pre>
          <code>{value}</code>
        </pre>
      ) : (
        <code>{value}</code>
      )}
      <CopyButton text={value} label={t.copyWhat(label)} />
    </div>
  );
}

/** What became of the last submit: an error no field of the form (`fields`) shows, or the success note. */
export function Outcome({
  error,
  fields = [],
  done,
  children,
}: {
  error: FormError | null;
  fields?: readonly string[];
  done?: boolean;
  children?: ComponentChildren;
}) {
  if (error && !fields.some((f) => errorFor(error, f))) {
    return (
      <p class="notice notice-error" role="alert">
        {error.text}
      </p>
    );
  }
  if (error) return null;
  return done ? (
    <p class="notice notice-ok" role="status">
      {children}
    </p>
  ) : null;
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="card settings-section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}
