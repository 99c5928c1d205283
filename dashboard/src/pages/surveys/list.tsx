// The surveys of the site: status, questions, responses, last change, and start/pause/archive in place.
import type { SurveyStatus, WireSurvey } from '@fideliza/server/protocol';
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';
import { STATUSES, StatusActions, StatusBadge } from './status.tsx';

/** Responses of one survey, asked per row (a site has few surveys; the list API carries definitions only). */
function ResponseCount({ id }: { id: string }) {
  const { api } = useDashboard();
  const load = useLoad(() => call(api.api.surveys[':id'].results.$get({ param: { id } })), [id]);
  return <>{load.data ? formatNumber(load.data.responses) : load.error ? '—' : '…'}</>;
}

export function SurveyList({ status }: { status: SurveyStatus | undefined }) {
  const t = useMessages(messages);
  const { api, navigate } = useDashboard();
  const load = useLoad(() => call(api.api.surveys.$get({ query: status ? { status } : {} })), [status]);
  const [notice, setNotice] = useState('');
  const changed = (s: WireSurvey) => {
    setNotice(t.changed(s.name, t.statuses[s.status]));
    load.reload();
  };
  return (
    <>
      <PageHeader title={t.title}>
        <Field label={t.statusFilter}>
          {(ids) => (
            <select
              {...ids}
              value={status ?? ''}
              onChange={(e) => {
                const next = e.currentTarget.value;
                navigate(next ? `/surveys?status=${next}` : '/surveys', { replace: true });
              }}
            >
              <option value="">{t.allButArchived}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.statuses[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Link href="/surveys/new" class="survey-new">
          {t.newSurvey}
        </Link>
      </PageHeader>
      <p class="visually-hidden" role="status">
        {notice}
      </p>
      <Loaded load={load}>
        {({ surveys }) =>
          surveys.length === 0 ? (
            <Empty>{status ? t.noSurveysWith : t.noSurveys}</Empty>
          ) : (
            <DataTable
              caption={t.listCaption}
              rows={surveys}
              rowKey={(s) => s.id}
              columns={[
                {
                  label: t.name,
                  cell: (s) => <Link href={`/surveys/${encodeURIComponent(s.id)}`}>{s.name}</Link>,
                },
                { label: t.status, cell: (s) => <StatusBadge status={s.status} /> },
                { label: t.questions, numeric: true, cell: (s) => formatNumber(s.questions.length) },
                { label: t.responses, numeric: true, cell: (s) => <ResponseCount id={s.id} /> },
                { label: t.updated, cell: (s) => formatDate(s.updatedAt) },
                {
                  label: t.actions,
                  cell: (s) => (
                    <div class="survey-actions">
                      <StatusActions survey={s} onChanged={changed} />
                      <Link href={`/surveys/${encodeURIComponent(s.id)}/edit`} aria-label={`${t.edit}: ${s.name}`}>
                        {t.edit}
                      </Link>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </Loaded>
    </>
  );
}
