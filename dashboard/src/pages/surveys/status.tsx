// A survey's status and the actions that change it: start (active), pause, archive (asked first). Starting and
// pausing replace the definition with the new status; archiving has its own route.
import type { SurveyStatus, WireSurvey } from '@fideliza/server/protocol';
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { Confirm } from '../../ui/confirm.tsx';
import { ErrorNote } from '../../ui/notice.tsx';
import { withStatus } from './draft.ts';
import { messages } from './messages.ts';

export const STATUSES: readonly SurveyStatus[] = ['draft', 'active', 'paused', 'archived'];

export function StatusBadge({ status }: { status: SurveyStatus }) {
  const t = useMessages(messages);
  return <span class={`survey-status survey-status-${status}`}>{t.statuses[status]}</span>;
}

/** Start or pause, and archive; `onChanged` gets the survey as the server stored it. */
export function StatusActions({ survey, onChanged }: { survey: WireSurvey; onChanged: (s: WireSurvey) => void }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const act = async (request: () => Promise<WireSurvey>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      onChanged(await request());
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  const put = (status: SurveyStatus) => () =>
    call(api.api.surveys[':id'].$put({ param: { id: survey.id }, json: withStatus(survey, status) }));
  return (
    <div class="survey-actions">
      {survey.status === 'active' ? (
        <button
          type="button"
          disabled={busy}
          aria-label={`${t.pause}: ${survey.name}`}
          onClick={() => act(put('paused'))}
        >
          {t.pause}
        </button>
      ) : (
        <button
          type="button"
          class="primary"
          disabled={busy}
          aria-label={`${t.start}: ${survey.name}`}
          onClick={() => act(put('active'))}
        >
          {t.start}
        </button>
      )}
      {survey.status !== 'archived' && (
        <button
          type="button"
          disabled={busy}
          aria-label={`${t.archive}: ${survey.name}`}
          onClick={() => setAsking(true)}
        >
          {t.archive}
        </button>
      )}
      {asking && (
        <Confirm
          question={t.archiveQuestion(survey.name)}
          confirmLabel={t.archive}
          busy={busy}
          onConfirm={() => act(() => call(api.api.surveys[':id'].archive.$post({ param: { id: survey.id } })))}
          onCancel={() => setAsking(false)}
        />
      )}
      {problem !== undefined && <ErrorNote error={problem} />}
    </div>
  );
}
