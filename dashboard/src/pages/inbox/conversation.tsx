// One conversation: who the customer is, its messages (live), the reply box (optimistic, failures shown with
// a retry), assignment and open/close for roles that answer, and the complaint's workflow for complaints.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { areas, canSee } from '../../areas.ts';
import { useDashboard } from '../../context.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { useLoad } from '../../ui/load.ts';
import { messages as uiMessages } from '../../ui/messages.ts';
import { ErrorNote, errorText, Loaded } from '../../ui/notice.tsx';
import { ComplaintPanel } from './complaint.tsx';
import { customerName } from './list.tsx';
import { messages } from './messages.ts';
import type { InboxStream } from './stream.ts';
import type { Assignee, Conversation, Detail, Message } from './types.ts';
import { When } from './when.tsx';

type T = typeof messages.en;

interface Pending {
  key: number;
  text: string;
  state: 'sending' | 'failed';
  error?: string;
}

/** Messages by id, oldest first, each once (the stream and a reply's answer can both carry the same one). */
function merge(a: readonly Message[], b: readonly Message[]): Message[] {
  const byId = new Map<number, Message>();
  for (const m of [...a, ...b]) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => x.id - y.id);
}

/** The conversation after one more of its messages (status and assignment changes come as system messages). */
function applyMessage(c: Conversation, m: Message): Conversation {
  if (m.event === 'status_changed') return { ...c, status: m.text };
  if (m.event === 'assigned') return { ...c, assigneeId: m.text || null };
  // The server reopens a closed chat the visitor writes into.
  if (m.author === 'visitor' && c.kind === 'chat') return { ...c, status: 'open' };
  return c;
}

const nameOf = (team: Assignee[], userId: string | null) => team.find((a) => a.id === userId)?.email;

function systemText(m: Message, team: Assignee[], t: T): string {
  if (m.event === 'status_changed') return t.statusChanged(t.statuses[m.text] ?? m.text);
  if (m.event === 'assigned') return m.text ? t.assignedTo(nameOf(team, m.text) ?? m.text) : t.unassigned;
  if (m.event === 'away') return `${t.awayNote}: ${m.text}`;
  return m.text;
}

function MessageItem({ m, team, customer }: { m: Message; team: Assignee[]; customer: string }) {
  const t = useMessages(messages);
  if (m.author === 'system') {
    return (
      <p class="msg-note">
        {systemText(m, team, t)} <When at={m.createdAt} />
      </p>
    );
  }
  const who = m.author === 'visitor' ? customer : (nameOf(team, m.staffUserId) ?? t.authors.agent);
  return (
    <div class={`msg msg-${m.author}${m.visibility === 'staff' ? ' msg-internal' : ''}`}>
      <p class="msg-head">
        <span class="msg-author">{who}</span> <When at={m.createdAt} />
        {m.visibility === 'staff' && <span class="badge">{t.internal}</span>}
      </p>
      {/* Text, never markup: Preact escapes it. */}
      <p class="msg-text">{m.text}</p>
    </div>
  );
}

function Details({ c }: { c: Conversation }) {
  const t = useMessages(messages);
  const { site } = useDashboard();
  const profiles = areas.find((a) => a.name === 'profiles');
  const seesProfiles = profiles !== undefined && canSee(profiles, site.value.role);
  return (
    <dl class="conv-details">
      {c.email && (
        <>
          <dt>{t.email}</dt>
          <dd>{c.email}</dd>
        </>
      )}
      {c.userId && (
        <>
          <dt>{t.userId}</dt>
          <dd>{c.userId}</dd>
        </>
      )}
      <dt>{t.anonymousId}</dt>
      <dd>{c.anonymousId}</dd>
      {c.pageUrl && (
        <>
          <dt>{t.page}</dt>
          <dd class="break">{c.pageUrl}</dd>
        </>
      )}
      {c.rating !== null && (
        <>
          <dt>{t.rating}</dt>
          <dd>{t.ratingValue(c.rating)}</dd>
        </>
      )}
      <dt>{t.started}</dt>
      <dd>{formatDateTime(c.createdAt)}</dd>
      {seesProfiles && (
        <>
          <dt>{t.customer}</dt>
          <dd>
            {c.profileId ? (
              <Link href={`/profiles/${encodeURIComponent(c.profileId)}`}>{t.openProfile}</Link>
            ) : (
              t.noProfile
            )}
          </dd>
        </>
      )}
    </dl>
  );
}

/** Assignment and open/close, for the roles that answer customers. */
function Controls({ c, team, onChanged }: { c: Conversation; team: Assignee[]; onChanged: (c: Conversation) => void }) {
  const t = useMessages(messages);
  const { api, me } = useDashboard();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const myId = me.value?.user.id;
  const run = async (request: () => Promise<{ conversation: Conversation }>) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged((await request()).conversation);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const assign = (assignee: string | null) =>
    run(async () => {
      const res = await call(api.api.conversations[':id'].assign.$post({ param: { id: c.id }, json: { assignee } }));
      return { conversation: { ...c, ...res.conversation } };
    });
  const setStatus = (status: 'open' | 'closed') =>
    run(async () => {
      const res = await call(api.api.conversations[':id'].status.$post({ param: { id: c.id }, json: { status } }));
      return { conversation: { ...c, ...res.conversation } };
    });
  return (
    <div class="conv-controls">
      <label>
        {t.assign}{' '}
        <select value={c.assigneeId ?? ''} disabled={busy} onChange={(e) => void assign(e.currentTarget.value || null)}>
          <option value="">{t.nobody}</option>
          {team.map((a) => (
            <option key={a.id} value={a.id}>
              {a.email} ({t.roles[a.role] ?? a.role})
            </option>
          ))}
        </select>
      </label>
      {myId && c.assigneeId !== myId && (
        <button type="button" disabled={busy} onClick={() => void assign(myId)}>
          {t.assignToMe}
        </button>
      )}
      {c.kind !== 'complaint' &&
        (c.status === 'closed' ? (
          <button type="button" disabled={busy} onClick={() => void setStatus('open')}>
            {t.reopen}
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => void setStatus('closed')}>
            {t.close}
          </button>
        ))}
      {error !== undefined && <ErrorNote error={error} />}
    </div>
  );
}

function ReplyBox({ onSend }: { onSend: (text: string) => void }) {
  const t = useMessages(messages);
  const [draft, setDraft] = useState('');
  const [empty, setEmpty] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    // The box itself, not the last render's state: Enter can come before the typing re-rendered.
    const text = (box.current?.value ?? draft).trim();
    if (!text) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    setDraft('');
    onSend(text);
  };
  return (
    <form class="reply" onSubmit={submit} noValidate>
      <label for="inbox-reply">{t.reply}</label>
      <textarea
        id="inbox-reply"
        ref={box}
        rows={3}
        maxLength={4000}
        value={draft}
        aria-describedby="inbox-reply-hint"
        aria-invalid={empty || undefined}
        onInput={(e) => setDraft(e.currentTarget.value)}
        // Enter sends, Shift+Enter starts a new line, as in every chat.
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
        }}
      />
      <small id="inbox-reply-hint" class="hint">
        {empty ? <span class="error-text">{t.emptyReply}</span> : t.replyHint}
      </small>
      <button type="submit" class="primary">
        {t.send}
      </button>
    </form>
  );
}

function Thread({
  detail,
  extra,
  add,
  team,
  reload,
}: {
  detail: Detail;
  /** Messages the stream and our replies brought since the view opened. */
  extra: Message[];
  add: (m: Message) => void;
  team: Assignee[];
  reload: () => void;
}) {
  const t = useMessages(messages);
  const ui = useMessages(uiMessages);
  const { api, me } = useDashboard();
  const id = detail.conversation.id;
  // The conversation as changed since it was loaded (by our own actions, or as told by the stream).
  const [changed, setChanged] = useState<Conversation | undefined>(undefined);
  const [pending, setPending] = useState<Pending[]>([]);
  const [notice, setNotice] = useState('');
  const nextKey = useRef(0);
  const log = useRef<HTMLDivElement>(null);
  const readUpTo = useRef(0);

  const c = changed ?? detail.conversation;
  const all = merge(detail.messages, extra);
  const latest = all.at(-1)?.id ?? 0;

  // Messages newer than the loaded copy say how the conversation changed since.
  const applied = useRef(0);
  useEffect(() => {
    setChanged(undefined);
    applied.current = detail.messages.at(-1)?.id ?? 0;
  }, [detail]);
  useEffect(() => {
    const fresh = extra.filter((m) => m.id > applied.current);
    if (fresh.length === 0) return;
    applied.current = Math.max(...fresh.map((m) => m.id));
    const kind = detail.conversation.kind;
    // A complaint's step changes its history and what may come next: read it again.
    if (kind === 'complaint' && fresh.some((m) => m.event === 'status_changed')) return reload();
    setChanged((now) => fresh.reduce(applyMessage, now ?? detail.conversation));
  }, [extra, detail]);

  // Seen here is read: tell the server, so the list shows it read (here and in other tabs).
  useEffect(() => {
    if (latest <= readUpTo.current) return;
    readUpTo.current = latest;
    call(api.api.conversations[':id'].read.$post({ param: { id }, json: { upTo: latest } })).catch(() => {
      // A lost read marker only leaves the conversation marked unread; nothing to tell the user.
    });
  }, [latest, id]);

  // Keep the newest message in view as messages arrive.
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [all.length, pending.length]);

  const send = async (text: string, key = nextKey.current++) => {
    setPending((p) => [...p.filter((x) => x.key !== key), { key, text, state: 'sending' }]);
    try {
      const message = await call(api.api.conversations[':id'].messages.$post({ param: { id }, json: { text } }));
      add({ ...message, visibility: 'public', staffUserId: me.value?.user.id ?? null });
      setPending((p) => p.filter((x) => x.key !== key));
    } catch (error) {
      setPending((p) => p.map((x) => (x.key === key ? { ...x, state: 'failed', error: errorText(error, ui) } : x)));
    }
  };

  const customer = customerName(c, t);
  const canReply = detail.canAnswer && c.kind === 'chat';
  return (
    <>
      <div class="conv-title">
        <h3 id="conv-title">{customer}</h3>
        <span class={`badge kind-${c.kind}`}>{t.kinds[c.kind]}</span>
        {detail.complaint && <span class="ticket">{detail.complaint.ticket}</span>}
        <span class={`badge status-${c.status}`}>{t.statuses[c.status] ?? c.status}</span>
      </div>
      <Details c={c} />
      {detail.canAnswer ? (
        <Controls
          c={c}
          team={team}
          onChanged={(next) => {
            setChanged(next);
            if (next.assigneeId !== c.assigneeId) {
              setNotice(next.assigneeId ? t.assigned(nameOf(team, next.assigneeId) ?? next.assigneeId) : t.unassigned);
            }
          }}
        />
      ) : (
        <p class="notice">{t.readOnly}</p>
      )}
      <p class="visually-hidden" role="status">
        {notice}
      </p>
      {detail.complaint && (
        <ComplaintPanel
          conversationId={id}
          complaint={detail.complaint}
          team={team}
          onMoved={(status) => {
            setNotice(t.moved(t.statuses[status] ?? status));
            reload();
          }}
        />
      )}
      <h4 id="conv-messages">{t.messages}</h4>
      <div
        class="msg-log"
        ref={log}
        role="log"
        aria-live="polite"
        aria-labelledby="conv-messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it.
        tabIndex={0}
      >
        {all.length === 0 && pending.length === 0 && <p class="notice">{t.noMessages}</p>}
        {all.map((m) => (
          <MessageItem key={m.id} m={m} team={team} customer={customer} />
        ))}
        {pending.map((p) => (
          <div key={`p${p.key}`} class={`msg msg-agent msg-${p.state}`}>
            <p class="msg-text">{p.text}</p>
            {p.state === 'sending' ? (
              <p class="msg-head">{t.sending}</p>
            ) : (
              <div class="msg-failed-note" role="alert">
                <span>{t.notSent(p.error ?? '')}</span>{' '}
                <button type="button" onClick={() => void send(p.text, p.key)}>
                  {t.retry}
                </button>{' '}
                <button type="button" onClick={() => setPending((all) => all.filter((x) => x.key !== p.key))}>
                  {t.discard}
                </button>
              </div>
            )}
          </div>
        ))}
      </div>
      {canReply ? (
        <ReplyBox onSend={(text) => void send(text)} />
      ) : (
        detail.canAnswer && <p class="notice">{t.noReplyHere}</p>
      )}
    </>
  );
}

export function ConversationView({
  id,
  stream,
  team,
  listHref,
}: {
  id: string;
  stream: InboxStream;
  team: Assignee[];
  listHref: string;
}) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const load = useLoad(() => call(api.api.conversations[':id'].$get({ param: { id } })), [id]);
  // Listening from the start, so what arrives while the conversation loads is not lost.
  const [extra, setExtra] = useState<Message[]>([]);
  const add = (m: Message) => setExtra((e) => merge(e, [m]));
  useEffect(() => stream.onMessage((m) => m.conversationId === id && add(m)), [stream, id]);
  useEffect(() => stream.onResync(load.reload), [stream, load.reload]);
  return (
    <section class="inbox-view" aria-labelledby="conv-title">
      <Link href={listHref} class="inbox-back">
        {t.back}
      </Link>
      <Loaded load={load}>
        {(detail) => <Thread detail={detail} extra={extra} add={add} team={team} reload={load.reload} />}
      </Loaded>
    </section>
  );
}
