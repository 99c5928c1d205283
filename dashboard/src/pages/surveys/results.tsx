// A survey's results: how often it was shown, answered and closed; NPS and CSAT scores; the distribution of
// every question's answers; the written answers, paged on the server; and the CSV of every response.
import type { SurveyQuestion, SurveyQuestionResult, WireSurvey } from '@fideliza/server/protocol';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDateTime, formatNumber, formatPercent } from '../../i18n/format.ts';
import { locale, useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { BarChart, type Point } from '../../ui/charts.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { CursorPager, useCursor } from '../../ui/pager.tsx';
import { localized } from './draft.ts';
import { messages } from './messages.ts';
import { StatusActions, StatusBadge } from './status.tsx';

const TEXTS_PAGE = 20;

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div class="card kpi">
      <span class="value">{value}</span>
      <span class="label">{label}</span>
    </div>
  );
}

/** Scores come as percentage points with one decimal (NPS −100…100, CSAT 0…100). */
const points = (score: number | null) => (score === null ? '—' : formatNumber(score, 1));

function Distribution({ question, result }: { question: SurveyQuestion; result: SurveyQuestionResult }) {
  const t = useMessages(messages);
  const lang = locale.value;
  const counts = result.counts ?? {};
  const bars: Point[] =
    question.kind === 'single_choice' || question.kind === 'multiple_choice'
      ? question.choices.map((c) => ({ label: localized(c.label, lang), value: counts[c.id] ?? 0 }))
      : Object.entries(counts).map(([label, value]) => ({ label, value }));
  return <BarChart caption={t.distribution(localized(question.title, lang))} points={bars} />;
}

function QuestionResult({ question, result }: { question: SurveyQuestion; result: SurveyQuestionResult }) {
  const t = useMessages(messages);
  const answered = result.answered;
  const share = (n: number) => (answered > 0 ? formatPercent(n / answered) : '—');
  return (
    <section class="card survey-result" aria-labelledby={`result-${question.id}`}>
      <h4 id={`result-${question.id}`}>{localized(question.title, locale.value)}</h4>
      <p class="hint">
        {t.kinds[question.kind]} · {t.answered(formatNumber(answered))}
      </p>
      {result.nps && (
        <div class="grid">
          <Kpi label={t.npsScore} value={points(result.nps.score)} />
          <Kpi label={t.promoters} value={share(result.nps.promoters)} />
          <Kpi label={t.passives} value={share(result.nps.passives)} />
          <Kpi label={t.detractors} value={share(result.nps.detractors)} />
        </div>
      )}
      {result.csat && (
        <div class="grid">
          <Kpi label={t.csatScore} value={result.csat.score === null ? '—' : `${points(result.csat.score)} %`} />
          <Kpi label={t.average} value={result.csat.average === null ? '—' : formatNumber(result.csat.average, 2)} />
        </div>
      )}
      {question.kind === 'text' ? <p>{t.seeTexts}</p> : <Distribution question={question} result={result} />}
    </section>
  );
}

function WrittenAnswers({ survey }: { survey: WireSurvey }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const pager = useCursor();
  const texts = survey.questions.filter((q) => q.kind === 'text');
  const load = useLoad(
    () =>
      call(
        api.api.surveys[':id'].responses.$get({
          param: { id: survey.id },
          query: { limit: String(TEXTS_PAGE), ...(pager.cursor ? { cursor: pager.cursor } : {}) },
        }),
      ),
    [survey.id, pager.cursor],
  );
  if (texts.length === 0) return null;
  return (
    <section class="card survey-section" aria-labelledby="survey-texts-title">
      <h3 id="survey-texts-title">{t.texts}</h3>
      <Loaded load={load}>
        {({ responses, nextCursor }) => {
          const written = responses.flatMap((r) =>
            texts.flatMap((q) => {
              const answer = r.answers[q.id];
              return typeof answer === 'string' && answer.trim()
                ? [{ key: `${r.id}:${q.id}`, at: r.createdAt, question: q, answer }]
                : [];
            }),
          );
          return (
            <>
              {written.length === 0 ? (
                <Empty>{t.noTexts}</Empty>
              ) : (
                <ul class="survey-texts">
                  {written.map((w) => (
                    <li key={w.key}>
                      <blockquote>{w.answer}</blockquote>
                      <small class="hint">
                        {formatDateTime(w.at)}
                        {texts.length > 1 && ` · ${localized(w.question.title, locale.value)}`}
                      </small>
                    </li>
                  ))}
                </ul>
              )}
              <CursorPager pager={pager} nextCursor={nextCursor} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

export function Results({ id }: { id: string }) {
  const t = useMessages(messages);
  const { api, site } = useDashboard();
  const survey = useLoad(() => call(api.api.surveys[':id'].$get({ param: { id } })), [id]);
  const results = useLoad(() => call(api.api.surveys[':id'].results.$get({ param: { id } })), [id]);
  const csv = `/api/surveys/${encodeURIComponent(id)}/responses.csv?site=${encodeURIComponent(site.value.siteId)}`;
  return (
    <Loaded load={survey}>
      {(s) => (
        <>
          <PageHeader title={s.name}>
            <StatusBadge status={s.status} />
            <StatusActions
              survey={s}
              onChanged={() => {
                survey.reload();
                results.reload();
              }}
            />
            <Link href={`/surveys/${encodeURIComponent(s.id)}/edit`}>{t.edit}</Link>
            <a href={csv} download>
              {t.downloadCsv}
            </a>
            <Link href="/surveys">{t.backToList}</Link>
          </PageHeader>
          <Loaded load={results}>
            {(r) => (
              <>
                <div class="grid">
                  <Kpi label={t.responses} value={formatNumber(r.responses)} />
                  <Kpi label={t.shown} value={formatNumber(r.seen)} />
                  <Kpi label={t.dismissed} value={formatNumber(r.dismissed)} />
                  <Kpi label={t.responseRate} value={r.seen > 0 ? formatPercent(r.responses / r.seen) : '—'} />
                </div>
                {r.responses === 0 && <Empty>{t.noResponses}</Empty>}
                <section aria-labelledby="survey-questions-title">
                  <h3 id="survey-questions-title" class="visually-hidden">
                    {t.questions}
                  </h3>
                  {s.questions.map((q) => {
                    const result = r.questions.find((x) => x.id === q.id);
                    return result ? <QuestionResult key={q.id} question={q} result={result} /> : null;
                  })}
                </section>
                <WrittenAnswers survey={s} />
              </>
            )}
          </Loaded>
        </>
      )}
    </Loaded>
  );
}
