// A complaint: what the customer filed (order, description, photos), the texts of each step, its history with
// who and when, and the workflow steps the server says this role may take now (it checks them again).
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { ErrorNote } from '../../ui/notice.tsx';
import { messages } from './messages.ts';
import type { Assignee, Complaint, ComplaintAction } from './types.ts';
import { When } from './when.tsx';

type T = typeof messages.en;

function Fields({ complaint }: { complaint: Complaint }) {
  const t = useMessages(messages);
  const rows: [string, string | null][] = [
    [t.ticket, complaint.ticket],
    [t.category, complaint.category],
    [t.orderNumber, complaint.orderNumber],
    [t.description, complaint.description],
    [t.technicalReport, complaint.technicalReport],
    [t.validationNote, complaint.validationNote],
    [t.response, complaint.response],
  ];
  return (
    <dl class="complaint-fields">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd class="pre">{value ?? t.none}</dd>
        </div>
      ))}
    </dl>
  );
}

function Photos({ conversationId, complaint }: { conversationId: string; complaint: Complaint }) {
  const t = useMessages(messages);
  const { api, site } = useDashboard();
  if (complaint.photos.length === 0) return null;
  const urlOf = (photoId: string) => {
    const url = api.api.complaints[':id'].photos[':photoId'].$url({ param: { id: conversationId, photoId } });
    // An <img> cannot send the site header: it goes in the query (the session cookie goes by itself).
    url.searchParams.set('site', site.value.siteId);
    return url.href;
  };
  return (
    <>
      <h5>{t.photos}</h5>
      <ul class="complaint-photos">
        {complaint.photos.map((p, i) => (
          <li key={p.id}>
            <a href={urlOf(p.id)} target="_blank" rel="noopener noreferrer">
              <img src={urlOf(p.id)} alt={t.photoAlt(i + 1)} loading="lazy" />
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

function actorName(actor: Complaint['transitions'][number]['actor'], team: Assignee[], t: T): string {
  if (!actor) return t.byCustomer;
  const email = actor.email ?? team.find((a) => a.id === actor.id)?.email ?? actor.id;
  return t.by(email, t.roles[actor.role ?? ''] ?? actor.role ?? '');
}

function History({ complaint, team }: { complaint: Complaint; team: Assignee[] }) {
  const t = useMessages(messages);
  return (
    <>
      <h5>{t.history}</h5>
      <ol class="complaint-history">
        {complaint.transitions.map((s) => (
          <li key={`${s.at}-${s.action}`}>
            <p>
              <strong>{t.step(t.done[s.action] ?? s.action, actorName(s.actor, team, t))}</strong> <When at={s.at} />
            </p>
            {s.text && <p class="pre">{s.text}</p>}
          </li>
        ))}
      </ol>
    </>
  );
}

function StepForm({
  conversationId,
  step,
  onDone,
  onCancel,
}: {
  conversationId: string;
  step: Complaint['actions'][number];
  onDone: (status: string) => void;
  onCancel: () => void;
}) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const withText = step.action !== 'close';
  // The user opened this form by choosing the step: focus moves into it.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLElement>('textarea, button')?.focus(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    // The field itself, not the last render's state: the submit can come before the typing re-rendered.
    const value = (form.current?.querySelector('textarea')?.value ?? text).trim();
    if (step.textRequired && !value) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const res = await call(
        api.api.complaints[':id'].transitions.$post({
          param: { id: conversationId },
          json: { action: step.action, ...(value ? { text: value } : {}) },
        }),
      );
      onDone(res.status);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const fieldId = `step-${step.action}`;
  return (
    <form class="step-form" ref={form} onSubmit={(e) => void submit(e)} noValidate>
      {withText && (
        <>
          <label for={fieldId}>{t.actionText[step.action]}</label>
          <textarea
            id={fieldId}
            rows={4}
            maxLength={4000}
            required={step.textRequired}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? `${fieldId}-error` : undefined}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {missing && (
            <small id={`${fieldId}-error`} class="error-text">
              {t.textRequired}
            </small>
          )}
        </>
      )}
      <div class="step-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {t.confirm}: {t.actions[step.action]}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
      </div>
      {error !== undefined && <ErrorNote error={error} />}
    </form>
  );
}

export function ComplaintPanel({
  conversationId,
  complaint,
  team,
  onMoved,
}: {
  conversationId: string;
  complaint: Complaint;
  team: Assignee[];
  onMoved: (status: string) => void;
}) {
  const t = useMessages(messages);
  const [chosen, setChosen] = useState<ComplaintAction | null>(null);
  const step = complaint.actions.find((a) => a.action === chosen);
  return (
    <section class="complaint" aria-labelledby="complaint-title">
      <h4 id="complaint-title">{t.complaint}</h4>
      <Fields complaint={complaint} />
      <Photos conversationId={conversationId} complaint={complaint} />
      <History complaint={complaint} team={team} />
      <h5>{t.nextStep}</h5>
      {complaint.actions.length === 0 ? (
        <p class="notice">{t.noActions}</p>
      ) : step ? (
        <StepForm
          key={step.action}
          conversationId={conversationId}
          step={step}
          onDone={(status) => {
            setChosen(null);
            onMoved(status);
          }}
          onCancel={() => setChosen(null)}
        />
      ) : (
        <div class="step-buttons">
          {complaint.actions.map((a) => (
            <button
              key={a.action}
              type="button"
              class={a.action === 'reject' ? 'danger' : 'primary'}
              onClick={() => setChosen(a.action)}
            >
              {t.actions[a.action]}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
