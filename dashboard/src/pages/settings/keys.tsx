// The site's keys: the public write key, the secret key (shown once when made) and the widget's identity
// secret (shown on request); each can be replaced after a confirmation, and the old one stops working at once.
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { Confirm } from '../../ui/confirm.tsx';
import { type FormError, formError } from './errors.ts';
import { messages } from './messages.ts';
import { Copyable, Outcome, Section } from './parts.tsx';

function KeyRow({
  label,
  hint,
  value,
  rotateLabel,
  question,
  rotate,
  rotated,
  reveal,
}: {
  label: string;
  hint: string;
  /** The current value, when it may be shown. */
  value?: string;
  rotateLabel: string;
  question: string;
  /** Makes the new key; returns a value to show this once (null when `value` will show it). */
  rotate: () => Promise<string | null>;
  /** The text shown after a rotation (with the one-time value, if any). */
  rotated: string;
  /** Loads a secret that may be read again, shown only when asked for. */
  reveal?: () => Promise<string>;
}) {
  const t = useMessages(messages);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [fresh, setFresh] = useState<string | null | undefined>(undefined);
  const [revealed, setRevealed] = useState<string | undefined>(undefined);

  const show = async () => {
    setError(null);
    try {
      setRevealed(reveal && (await reveal()));
    } catch (e) {
      setError(formError(e, t));
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      setFresh(await rotate());
      setRevealed(undefined);
      setAsking(false);
    } catch (e) {
      setError(formError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="key-row">
      <h4>{label}</h4>
      <p class="hint">{hint}</p>
      {value !== undefined && <Copyable value={value} label={label} />}
      {revealed !== undefined && <Copyable value={revealed} label={label} />}
      {reveal && revealed === undefined && fresh === undefined && (
        <button type="button" onClick={() => void show()}>
          {t.show(label)}
        </button>
      )}
      {fresh !== undefined && (
        <div class="notice notice-ok" role="status">
          <p>{rotated}</p>
          {fresh !== null && <Copyable value={fresh} label={label} />}
        </div>
      )}
      {asking ? (
        <Confirm
          question={question}
          confirmLabel={t.confirm}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <button
          type="button"
          onClick={() => {
            setFresh(undefined);
            setAsking(true);
          }}
        >
          {rotateLabel}
        </button>
      )}
      <Outcome error={error} />
    </div>
  );
}

export function Keys({ writeKey, onWriteKey }: { writeKey: string; onWriteKey: (key: string) => void }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  return (
    <Section id="settings-keys" title={t.keys}>
      <KeyRow
        label={t.writeKey}
        hint={t.writeKeyHint}
        value={writeKey}
        rotateLabel={t.rotateWrite}
        question={t.confirmWrite}
        rotated={t.newWrite}
        rotate={async () => {
          const { writeKey } = await call(api.api.site.keys.rotate.$post({ json: { key: 'write' } }));
          if (writeKey) onWriteKey(writeKey);
          return null;
        }}
      />
      <KeyRow
        label={t.secretKey}
        hint={t.secretKeyHint}
        rotateLabel={t.rotateSecret}
        question={t.confirmSecret}
        rotated={t.newSecret}
        rotate={async () => (await call(api.api.site.keys.rotate.$post({ json: { key: 'secret' } }))).secretKey}
      />
      <KeyRow
        label={t.identitySecret}
        hint={t.identitySecretHint}
        rotateLabel={t.rotateIdentity}
        question={t.confirmIdentity}
        rotated={t.newIdentity}
        reveal={async () => (await call(api.api.widget['identity-secret'].$get())).identitySecret}
        rotate={async () => (await call(api.api.widget['identity-secret'].rotate.$post())).identitySecret}
      />
    </Section>
  );
}
