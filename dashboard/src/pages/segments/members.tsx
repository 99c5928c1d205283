// A segment's members today, paged by the server, and the CSV export: streamed with its progress shown, then
// saved as the file the server names.
import type { WireSegment } from '@fideliza/server/protocol';
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDate, formatMoney, formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { readWithProgress, saveFile, suggestedName } from '../../ui/download.ts';
import { useLoad } from '../../ui/load.ts';
import { Empty, ErrorNote, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { CursorPager, useCursor } from '../../ui/pager.tsx';
import { ProgressBar } from '../../ui/progress.tsx';
import { DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';
import { useSegmentNames } from './names.ts';
import { asSegment } from './wire.ts';

const PAGE = 50;

type ExportState =
  | { state: 'idle' }
  | { state: 'running'; rows: number }
  | { state: 'done'; rows: number }
  | { state: 'failed'; error: unknown };

function Export({ segment, total }: { segment: WireSegment; total: number }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const [progress, setProgress] = useState<ExportState>({ state: 'idle' });

  const run = async () => {
    setProgress({ state: 'running', rows: 0 });
    try {
      const res = await api.api.segments[':id']['export.csv'].$get({ param: { id: segment.id } });
      // A refusal becomes the usual ApiError (with the server's message) through call().
      if (!res.ok) await call(res);
      let rows = 0;
      const blob = await readWithProgress(res, ({ lines }) => {
        // Every row ends with a line break, the header's too.
        rows = Math.max(0, lines - 1);
        setProgress({ state: 'running', rows });
      });
      saveFile(blob, suggestedName(res, 'segment.csv'));
      setProgress({ state: 'done', rows });
    } catch (error) {
      setProgress({ state: 'failed', error });
    }
  };

  return (
    <div class="export">
      <button type="button" class="primary" disabled={progress.state === 'running'} onClick={() => void run()}>
        {progress.state === 'running' ? t.exporting : t.exportCsv}
      </button>
      {progress.state === 'running' && (
        <div class="export-progress">
          <ProgressBar done={progress.rows} total={total} label={t.exportProgress} />
          <span>{t.exportedRows(formatNumber(progress.rows), formatNumber(total))}</span>
        </div>
      )}
      {progress.state === 'done' && (
        <p class="notice notice-ok" role="status">
          {t.exportedDone(formatNumber(progress.rows))}
        </p>
      )}
      {progress.state === 'failed' && <ErrorNote error={progress.error} />}
    </div>
  );
}

function MemberTable({ segment }: { segment: WireSegment }) {
  const t = useMessages(messages);
  const named = useSegmentNames();
  const { api } = useDashboard();
  const pager = useCursor();
  const load = useLoad(
    () =>
      call(
        api.api.segments[':id'].members.$get({
          param: { id: segment.id },
          query: { limit: String(PAGE), ...(pager.cursor ? { cursor: pager.cursor } : {}) },
        }),
      ),
    [segment.id, pager.cursor],
  );
  return (
    <Loaded load={load}>
      {({ members, nextCursor }) =>
        members.length === 0 ? (
          <Empty>{t.noMembers}</Empty>
        ) : (
          <>
            <DataTable
              caption={t.membersCaption(named(segment).name)}
              rows={members}
              rowKey={(m) => m.profileId}
              columns={[
                {
                  label: t.customer,
                  cell: (m) => (
                    <Link href={`/profiles/${encodeURIComponent(m.profileId)}`}>
                      {m.name ?? m.email ?? m.profileId}
                    </Link>
                  ),
                },
                { label: t.email, cell: (m) => m.email ?? '' },
                { label: t.orders, numeric: true, cell: (m) => formatNumber(m.orders) },
                { label: t.revenue, numeric: true, cell: (m) => formatMoney(m.revenue, null) },
                { label: t.lastSeen, cell: (m) => formatDate(m.lastSeen) },
                { label: t.lastOrder, cell: (m) => (m.lastOrderAt ? formatDate(m.lastOrderAt) : '') },
              ]}
            />
            <CursorPager pager={pager} nextCursor={nextCursor} />
          </>
        )
      }
    </Loaded>
  );
}

export function Members({ id }: { id: string }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const load = useLoad(
    () =>
      Promise.all([
        call(api.api.segments[':id'].$get({ param: { id } })).then(asSegment),
        call(api.api.segments[':id'].count.$get({ param: { id } })),
      ]),
    [id],
  );
  const named = useSegmentNames();
  const segment = load.data?.[0];
  return (
    <div class="segments">
      <PageHeader title={segment ? t.membersOf(named(segment).name) : t.members}>
        <Link href="/segments">{t.backToList}</Link>
        <Link href={`/segments/${encodeURIComponent(id)}`}>{segment?.builtin ? t.view : t.edit}</Link>
      </PageHeader>
      <Loaded load={load}>
        {([s, { count }]) => (
          <>
            <div class="members-head">
              <p class="member-count" data-count={count}>
                {t.memberCount(formatNumber(count))}
              </p>
              <Export segment={s} total={count} />
            </div>
            <MemberTable segment={s} />
          </>
        )}
      </Loaded>
    </div>
  );
}
