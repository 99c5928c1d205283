// The customer file ("ficha"): who they are (traits, ids), what they are worth (orders, revenue, classification),
// what to offer them, their timeline, and, for marketers and admins, the privacy requests (export, erasure).
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { classificationNames } from '../../i18n/classification.ts';
import { formatDate, formatMoney, formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { Confirm } from '../../ui/confirm.tsx';
import { saveFile, suggestedName } from '../../ui/download.ts';
import { useLoad } from '../../ui/load.ts';
import { Empty, ErrorNote, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { messages } from './messages.ts';
import { Timeline } from './timeline.tsx';

type Api = ReturnType<typeof useDashboard>['api'];
type CustomerFile = Awaited<ReturnType<typeof fetchFile>>;

const fetchFile = (api: Api, id: string) => call(api.api.profiles[':id'].$get({ param: { id } }));

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The name staff know the customer by: their name, else their email, else an id. */
export function displayName(file: CustomerFile, anonymous: string): string {
  const tr = file.traits;
  const parts = [text(tr.firstName) ?? text(tr.first_name), text(tr.lastName) ?? text(tr.last_name)].filter(Boolean);
  return (
    text(tr.name) ?? (parts.length ? parts.join(' ') : undefined) ?? text(tr.email) ?? file.profile.userId ?? anonymous
  );
}

/** The currency of the customer's latest order, for their totals (profiles keep amounts without one). */
const currencyOf = (file: CustomerFile) => file.orders.find((o) => o.currency)?.currency ?? null;

function Figure({ label, value, date }: { label: string; value: string; date?: boolean }) {
  return (
    <div class={date ? 'card kpi kpi-date' : 'card kpi'}>
      <span class="value">{value}</span>
      <span class="label">{label}</span>
    </div>
  );
}

function Summary({ file }: { file: CustomerFile }) {
  const t = useMessages(messages);
  const p = file.profile;
  const currency = currencyOf(file);
  return (
    <section aria-labelledby="profile-summary">
      <h3 id="profile-summary" class="visually-hidden">
        {t.summary}
      </h3>
      <div class="grid">
        <Figure label={t.orders} value={formatNumber(p.orders)} />
        <Figure label={t.revenue} value={formatMoney(p.revenue, currency)} />
        {p.averageOrderValue !== null && (
          <Figure label={t.averageOrder} value={formatMoney(p.averageOrderValue, currency)} />
        )}
        <Figure label={t.sessions} value={formatNumber(p.sessions)} />
        <Figure label={t.pageViews} value={formatNumber(p.pageViews)} />
        <Figure label={t.firstSeen} value={formatDate(p.firstSeen)} date />
        <Figure label={t.lastSeen} value={formatDate(p.lastSeen)} date />
        {p.lastOrderAt && <Figure label={t.lastOrder} value={formatDate(p.lastOrderAt)} date />}
      </div>
    </section>
  );
}

function Pairs({ rows }: { rows: [string, string][] }) {
  return (
    <dl class="pairs">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Classification({ file }: { file: CustomerFile }) {
  const t = useMessages(messages);
  const names = useMessages(classificationNames);
  const c = file.classification;
  const named = (v: string | null) => (v ? (names[v] ?? v) : '—');
  return (
    <section class="card" aria-labelledby="profile-class">
      <h3 id="profile-class">{t.classification}</h3>
      {!c ? (
        <p class="hint">{t.notClassified}</p>
      ) : (
        <Pairs
          rows={[
            [t.lifecycle, named(c.lifecycle)],
            [t.rfmSegment, named(c.rfmSegment)],
            [t.rfmScores, [c.recencyScore, c.frequencyScore, c.monetaryScore].map((s) => s ?? '—').join(' · ')],
            [t.abcClass, named(c.abcClass)],
            [t.premium, c.premium ? t.yes : t.no],
            [t.churnRisk, named(c.churnRisk)],
            [t.daysSinceLastOrder, c.daysSinceLastOrder === null ? '—' : formatNumber(c.daysSinceLastOrder)],
          ]}
        />
      )}
    </section>
  );
}

const traitText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function Traits({ file }: { file: CustomerFile }) {
  const t = useMessages(messages);
  const traits = Object.entries(file.traits);
  return (
    <section class="card" aria-labelledby="profile-traits">
      <h3 id="profile-traits">{t.traits}</h3>
      {traits.length === 0 ? (
        <p class="hint">{t.noTraits}</p>
      ) : (
        <Pairs rows={traits.map(([k, v]) => [k, traitText(v)])} />
      )}
      <h4>{t.identities}</h4>
      <Pairs rows={file.identities.map((i) => [`${t.identityKinds[i.kind] ?? i.kind}`, i.value] as [string, string])} />
      {file.mergedFrom.length > 0 && <Pairs rows={[[t.mergedFrom, file.mergedFrom.join(', ')]]} />}
    </section>
  );
}

function ForYou({ id }: { id: string }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const load = useLoad(() => call(api.api.profiles[':id'].recommendations.$get({ param: { id }, query: {} })), [id]);
  return (
    <section class="card" aria-labelledby="profile-for-you">
      <h3 id="profile-for-you">{t.forYou}</h3>
      <p class="hint">{t.forYouHint}</p>
      <Loaded load={load}>
        {({ recommendations }) =>
          recommendations.length === 0 ? (
            <Empty>{t.noRecommendations}</Empty>
          ) : (
            <ul class="for-you">
              {recommendations.map((r) => (
                <li key={r.productId}>
                  {r.url ? (
                    <a href={r.url} target="_blank" rel="noopener noreferrer">
                      {r.name ?? r.productId}
                    </a>
                  ) : (
                    <span>{r.name ?? r.productId}</span>
                  )}
                  {r.price !== null && <span class="price">{formatMoney(r.price, r.currency)}</span>}
                  <span class="hint">{t.reasons[r.reason] ?? r.reason}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function Privacy({ id, name }: { id: string; name: string }) {
  const t = useMessages(messages);
  const { api, navigate } = useDashboard();
  const [state, setState] = useState<'idle' | 'exporting' | 'exported' | 'confirming' | 'deleting'>('idle');
  const [error, setError] = useState<unknown>(undefined);

  const exportData = async () => {
    setState('exporting');
    setError(undefined);
    try {
      const res = await api.api.profiles[':id'].export.$get({ param: { id } });
      // A refusal becomes the usual ApiError (with the server's message) through call().
      if (!res.ok) await call(res);
      saveFile(await res.blob(), suggestedName(res, `profile-${id}.json`));
      setState('exported');
    } catch (e) {
      setError(e);
      setState('idle');
    }
  };

  const erase = async () => {
    setState('deleting');
    setError(undefined);
    try {
      await call(api.api.profiles[':id'].$delete({ param: { id } }));
      navigate(`/profiles?erased=${encodeURIComponent(name)}`);
    } catch (e) {
      setError(e);
      setState('idle');
    }
  };

  const busy = state === 'exporting' || state === 'deleting';
  return (
    <section class="card privacy" aria-labelledby="profile-privacy">
      <h3 id="profile-privacy">{t.privacy}</h3>
      <div class="privacy-actions">
        <button type="button" disabled={busy} onClick={() => void exportData()}>
          {state === 'exporting' ? t.exporting : t.exportJson}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => setState('confirming')}>
          {state === 'deleting' ? t.deleting : t.deleteCustomer}
        </button>
      </div>
      {state === 'exported' && (
        <p class="notice notice-ok" role="status">
          {t.exported}
        </p>
      )}
      {(state === 'confirming' || state === 'deleting') && (
        <Confirm
          question={t.confirmDelete(name)}
          confirmLabel={t.confirmDeleteButton(name)}
          busy={state === 'deleting'}
          onConfirm={() => void erase()}
          onCancel={() => setState('idle')}
        />
      )}
      {error !== undefined && <ErrorNote error={error} />}
    </section>
  );
}

export function ProfileFile({ id }: { id: string }) {
  const t = useMessages(messages);
  const { api, site } = useDashboard();
  const load = useLoad(() => fetchFile(api, id), [id]);
  // Export and erasure are marketers' and admins' (auth/policy.ts); agents are not offered what they would be refused.
  const role = site.value.role;
  const canManage = role === 'admin' || role === 'marketer';
  const name = load.data ? displayName(load.data, t.anonymous) : undefined;
  return (
    <div class="profiles">
      <PageHeader title={name ?? t.customer}>
        <Link href="/profiles">{t.backToList}</Link>
      </PageHeader>
      <Loaded load={load}>
        {(file) => (
          <>
            <Summary file={file} />
            <div class="profile-columns">
              <div class="profile-main">
                <Timeline id={file.profile.id} />
              </div>
              <div class="profile-side">
                <Classification file={file} />
                <ForYou id={file.profile.id} />
                <Traits file={file} />
                {canManage && <Privacy id={file.profile.id} name={displayName(file, t.anonymous)} />}
              </div>
            </div>
          </>
        )}
      </Loaded>
    </div>
  );
}
