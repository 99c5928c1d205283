// The conversation list: filters (kind, status, assignee) in the query, server-paged by cursor, patched live by
// the stream (new messages, status and assignment changes); a conversation it has not seen reloads the first page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { CursorPager, useCursor } from '../../ui/pager.tsx';
import { messages } from './messages.ts';
import type { InboxStream } from './stream.ts';
import { type Assignee, chatStatuses, complaintStatuses, kinds, type ListRow, type Message } from './types.ts';
import { When } from './when.tsx';

const PAGE = 25;
/** Events come in bursts (a new chat is a message and maybe an away note): one reload for a burst. */
const RELOAD_DELAY_MS = 250;

export interface Filters {
  kind: string;
  status: string;
  assignee: string;
}

const filtersOf = (query: URLSearchParams): Filters => ({
  kind: query.get('kind') ?? '',
  status: query.get('status') ?? '',
  assignee: query.get('assignee') ?? '',
});

/** Who wrote to us, in the fewest words the conversation allows. */
export function customerName(c: Pick<ListRow, 'email' | 'userId' | 'anonymousId'>, t = messages.en): string {
  return c.email ?? c.userId ?? t.visitor(c.anonymousId.slice(0, 8));
}

/** A row changed by one message of the stream. */
function patchRow(row: ListRow, m: Message, open: boolean): ListRow {
  if (m.author === 'system') {
    if (m.event === 'status_changed') return { ...row, status: m.text, updatedAt: m.createdAt };
    if (m.event === 'assigned') return { ...row, assigneeId: m.text || null, updatedAt: m.createdAt };
    return row;
  }
  return {
    ...row,
    // The server reopens a closed chat the visitor writes into.
    status: m.author === 'visitor' && row.kind === 'chat' ? 'open' : row.status,
    updatedAt: m.createdAt,
    lastMessage: { id: m.id, author: m.author, text: m.text, createdAt: m.createdAt },
    unread: m.author === 'visitor' ? !open : row.unread,
  };
}

function FilterBar({
  filters,
  team,
  onChange,
}: {
  filters: Filters;
  team: Assignee[];
  onChange: (f: Filters) => void;
}) {
  const t = useMessages(messages);
  const statuses =
    filters.kind === 'complaint'
      ? complaintStatuses
      : filters.kind
        ? chatStatuses
        : [...new Set<string>([...chatStatuses, ...complaintStatuses])];
  return (
    <fieldset class="inbox-filters">
      <legend class="visually-hidden">{t.filters}</legend>
      <Field label={t.kind}>
        {(ids) => (
          <select
            {...ids}
            value={filters.kind}
            onChange={(e) => onChange({ ...filters, kind: e.currentTarget.value, status: '' })}
          >
            <option value="">{t.anyKind}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t.kinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.status}>
        {(ids) => (
          <select
            {...ids}
            value={filters.status}
            onChange={(e) => onChange({ ...filters, status: e.currentTarget.value })}
          >
            <option value="">{t.anyStatus}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t.statuses[s] ?? s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.assignee}>
        {(ids) => (
          <select
            {...ids}
            value={filters.assignee}
            onChange={(e) => onChange({ ...filters, assignee: e.currentTarget.value })}
          >
            <option value="">{t.anyone}</option>
            <option value="me">{t.me}</option>
            <option value="none">{t.nobody}</option>
            {team.map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}

function Row({ row, open, href }: { row: ListRow; open: boolean; href: string }) {
  const t = useMessages(messages);
  const unread = row.unread && !open;
  const last = row.lastMessage;
  return (
    <li class={`inbox-row${unread ? ' unread' : ''}`}>
      <Link href={href} aria-current={open ? 'page' : undefined}>
        <span class="row-top">
          <span class="row-who">
            {unread && <span class="unread-dot" title={t.unread} />}
            {unread && <span class="visually-hidden">{t.unread}: </span>}
            {customerName(row, t)}
          </span>
          <When at={last?.createdAt ?? row.updatedAt} />
        </span>
        <span class="row-meta">
          <span class={`badge kind-${row.kind}`}>{t.kinds[row.kind]}</span>
          {row.ticket && <span class="ticket">{row.ticket}</span>}
          <span class={`badge status-${row.status}`}>{t.statuses[row.status] ?? row.status}</span>
        </span>
        <span class="row-preview">
          {last ? `${last.author === 'agent' ? `${t.agentPrefix}: ` : ''}${last.text}` : t.noMessages}
        </span>
      </Link>
    </li>
  );
}

/** Arrow keys move between the rows' links (Tab still goes through them one by one). */
function moveFocus(event: KeyboardEvent) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLAnchorElement>('a')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (at === -1) return;
  const next = links[at + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

function ListBody({
  filters,
  stream,
  openId,
  search,
}: {
  filters: Filters;
  stream: InboxStream;
  openId: string | undefined;
  search: string;
}) {
  const t = useMessages(messages);
  const { api, me } = useDashboard();
  const pager = useCursor();
  const assignee = filters.assignee === 'me' ? (me.value?.user.id ?? '') : filters.assignee;
  const load = useLoad(
    () =>
      call(
        api.api.conversations.$get({
          query: {
            limit: String(PAGE),
            ...(filters.kind ? { kind: filters.kind } : {}),
            ...(filters.status ? { status: filters.status } : {}),
            ...(assignee ? { assignee } : {}),
            ...(pager.cursor ? { cursor: pager.cursor } : {}),
          },
        }),
      ),
    [pager.cursor],
  );
  const [rows, setRows] = useState<ListRow[]>([]);
  const [newer, setNewer] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (load.data) setRows(load.data.conversations);
  }, [load.data]);

  // The stream's handler reads the latest of these without resubscribing on every render.
  const current = useRef({ rows, openId, page: pager.page, reload: load.reload });
  current.current = { rows, openId, page: pager.page, reload: load.reload };
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const scheduleReload = () => {
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => current.current.reload(), RELOAD_DELAY_MS);
    };
    const offMessage = stream.onMessage((m) => {
      const { rows: now, openId: open, page } = current.current;
      const known = now.find((r) => r.id === m.conversationId);
      if (known) {
        setRows((rs) => rs.map((r) => (r.id === m.conversationId ? patchRow(r, m, r.id === open) : r)));
        if (m.author === 'visitor' && known.id !== open) setAnnouncement(t.announceMessage(customerName(known, t)));
        return;
      }
      // Not on this page: a new conversation (newest first, so it belongs on page 1) or an older one elsewhere.
      if (page === 1) scheduleReload();
      else setNewer(true);
      if (m.author === 'visitor' || m.event === 'status_changed') setAnnouncement(t.announceConversation);
    });
    const offResync = stream.onResync(() => current.current.reload());
    return () => {
      offMessage();
      offResync();
      clearTimeout(reloadTimer.current);
    };
  }, [stream, t]);

  // Opening a conversation reads it.
  useEffect(() => {
    if (openId) setRows((rs) => rs.map((r) => (r.id === openId && r.unread ? { ...r, unread: false } : r)));
  }, [openId]);

  return (
    <>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {newer && (
        <p class="notice inbox-newer">
          {t.newer}{' '}
          <button
            type="button"
            onClick={() => {
              setNewer(false);
              pager.reset();
            }}
          >
            {t.showNewest}
          </button>
        </p>
      )}
      <Loaded load={load}>
        {(data) =>
          rows.length === 0 ? (
            <Empty>{t.empty}</Empty>
          ) : (
            <>
              <ul class="inbox-rows" aria-label={t.conversations} onKeyDown={moveFocus}>
                {rows.map((r) => (
                  <Row key={r.id} row={r} open={r.id === openId} href={`/inbox/${r.id}${search}`} />
                ))}
              </ul>
              <CursorPager pager={pager} nextCursor={data.nextCursor} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

export function ConversationList({
  stream,
  openId,
  query,
  team,
}: {
  stream: InboxStream;
  openId: string | undefined;
  query: URLSearchParams;
  team: Assignee[];
}) {
  const t = useMessages(messages);
  const { navigate } = useDashboard();
  const filters = filtersOf(query);
  const search = query.toString() ? `?${query}` : '';
  const change = (next: Filters) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) q.set(k, v);
    const s = q.toString();
    navigate(`/inbox${openId ? `/${encodeURIComponent(openId)}` : ''}${s ? `?${s}` : ''}`, { replace: true });
  };
  return (
    <section class="inbox-list" aria-labelledby="inbox-list-title">
      <h3 id="inbox-list-title" class="visually-hidden">
        {t.conversations}
      </h3>
      <FilterBar filters={filters} team={team} onChange={change} />
      {/* A new filter is a new list: its own pages, from the first. */}
      <ListBody
        key={`${filters.kind}|${filters.status}|${filters.assignee}`}
        filters={filters}
        stream={stream}
        openId={openId}
        search={search}
      />
    </section>
  );
}
