// Built-in and saved segments, each with its member count (asked per row, so the list shows before the counts).
import type { WireSegment } from '@fideliza/server/protocol';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { useLoad } from '../../ui/load.ts';
import { Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';
import { useSegmentNames } from './names.ts';
import { asSegment } from './wire.ts';

function MemberCount({ id }: { id: string }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const load = useLoad(() => call(api.api.segments[':id'].count.$get({ param: { id } })), [id]);
  if (load.data) return <span data-count={load.data.count}>{formatNumber(load.data.count)}</span>;
  // A failed count (a rule kind no longer registered) leaves the dash; the segment's page says why.
  return <span aria-busy={load.loading}>{t.countUnknown}</span>;
}

export function SegmentList() {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const named = useSegmentNames();
  const load = useLoad(() => call(api.api.segments.$get()).then((b) => b.segments.map(asSegment)), []);
  const href = (s: WireSegment) => `/segments/${encodeURIComponent(s.id)}`;
  return (
    <div class="segments">
      <PageHeader title={t.title}>
        <Link class="button primary" href="/segments/new">
          {t.newSegment}
        </Link>
      </PageHeader>
      <Loaded load={load}>
        {(segments) => (
          <DataTable
            caption={t.listCaption}
            rows={segments}
            rowKey={(s) => s.id}
            columns={[
              { label: t.name, cell: (s) => <Link href={href(s)}>{named(s).name}</Link> },
              { label: t.description, cell: (s) => named(s).description },
              { label: t.origin, cell: (s) => (s.builtin ? t.builtin : t.saved) },
              { label: t.members, numeric: true, cell: (s) => <MemberCount id={s.id} /> },
              {
                label: t.actions,
                cell: (s) => (
                  <Link href={`${href(s)}/members`} aria-label={t.membersOf(named(s).name)}>
                    {t.members}
                  </Link>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </div>
  );
}
