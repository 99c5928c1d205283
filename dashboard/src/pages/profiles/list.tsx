// Customer search: by the beginning of a name, email or id, paged by the server; the query lives in the URL.
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { classificationNames } from '../../i18n/classification.ts';
import { formatDate, formatMoney, formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { CursorPager, useCursor } from '../../ui/pager.tsx';
import { DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';

const PAGE = 25;

export const profileHref = (id: string) => `/profiles/${encodeURIComponent(id)}`;

function Results({ q }: { q: string }) {
  const t = useMessages(messages);
  const names = useMessages(classificationNames);
  const { api } = useDashboard();
  const pager = useCursor();
  const load = useLoad(
    () =>
      call(
        api.api.profiles.$get({
          query: { limit: String(PAGE), ...(q ? { q } : {}), ...(pager.cursor ? { cursor: pager.cursor } : {}) },
        }),
      ),
    [q, pager.cursor],
  );
  return (
    <Loaded load={load}>
      {({ items, nextCursor }) =>
        items.length === 0 ? (
          <Empty>{q ? t.noResults(q) : t.noCustomers}</Empty>
        ) : (
          <>
            <DataTable
              caption={t.listCaption}
              rows={items}
              rowKey={(p) => p.id}
              columns={[
                {
                  label: t.customer,
                  // Anonymous visitors are told apart by the end of their id (many rows would read the same).
                  cell: (p) => (
                    <Link href={profileHref(p.id)}>
                      {p.name ?? p.email ?? p.userId ?? t.anonymousId(p.id.slice(-6))}
                    </Link>
                  ),
                },
                { label: t.email, cell: (p) => p.email ?? '' },
                { label: t.orders, numeric: true, cell: (p) => formatNumber(p.orders) },
                { label: t.revenue, numeric: true, cell: (p) => formatMoney(p.revenue, null) },
                { label: t.lifecycle, cell: (p) => (p.lifecycle ? (names[p.lifecycle] ?? p.lifecycle) : '') },
                { label: t.rfmSegment, cell: (p) => (p.rfmSegment ? (names[p.rfmSegment] ?? p.rfmSegment) : '') },
                { label: t.lastSeen, cell: (p) => formatDate(p.lastSeen) },
              ]}
            />
            <CursorPager pager={pager} nextCursor={nextCursor} />
          </>
        )
      }
    </Loaded>
  );
}

export function ProfileList({ query }: { query: URLSearchParams }) {
  const t = useMessages(messages);
  const { navigate } = useDashboard();
  const q = query.get('q')?.trim() ?? '';
  const erased = query.get('erased');
  const [text, setText] = useState(q);
  return (
    <div class="profiles">
      <PageHeader title={t.title} />
      {erased && (
        <p class="notice notice-ok" role="status">
          {t.erased(erased)}
        </p>
      )}
      <form
        class="profile-search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = text.trim();
          navigate(next ? `/profiles?q=${encodeURIComponent(next)}` : '/profiles', { replace: true });
        }}
      >
        <Field label={t.search} hint={t.searchHint}>
          {(ids) => (
            <input
              {...ids}
              type="search"
              name="q"
              value={text}
              maxLength={200}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary">
          {t.searchButton}
        </button>
      </form>
      {/* Keyed by the query: a new search starts again at the first page. */}
      <Results key={q} q={q} />
    </div>
  );
}
