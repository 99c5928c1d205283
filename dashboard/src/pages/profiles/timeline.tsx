// The customer's timeline, newest first: page views, shopping steps and orders, chats, feedback, complaints and
// survey answers; older pages are added below on request. Behaviour events (clicks, scrolls) only when asked for.
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDateTime, formatMoney } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { useLoad } from '../../ui/load.ts';
import { Empty, ErrorNote, Loaded } from '../../ui/notice.tsx';
import { messages, type ProfilesMessages } from './messages.ts';

const PAGE = 30;

type Api = ReturnType<typeof useDashboard>['api'];
type Page = Awaited<ReturnType<typeof fetchPage>>;
type Item = Page['items'][number];

function fetchPage(api: Api, id: string, behaviour: boolean, cursor: string | undefined) {
  return call(
    api.api.profiles[':id'].timeline.$get({
      param: { id },
      query: { limit: String(PAGE), behaviour: behaviour ? 'show' : 'hide', ...(cursor ? { cursor } : {}) },
    }),
  );
}

/** A property of an event as text, when it is a string or a number. */
function prop(properties: unknown, key: string): string | undefined {
  if (typeof properties !== 'object' || properties === null) return undefined;
  const value = (properties as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function productCount(properties: unknown): number {
  const products =
    typeof properties === 'object' && properties !== null ? (properties as { products?: unknown }).products : undefined;
  return Array.isArray(products) ? products.length : 0;
}

/** What happened, in a sentence, and a detail line; `tone` picks the marker's colour. */
function describe(item: Item, t: ProfilesMessages): { tone: string; text: string; detail?: string } {
  if (item.kind === 'conversation') {
    const c = item.conversation;
    const detail = [c.preview, t.messagesCount(c.messages), t.status(c.status)].filter(Boolean).join(' · ');
    if (c.kind === 'complaint' && c.complaint)
      return { tone: 'complaint', text: `${t.complaint(c.complaint.ticket)} · ${c.complaint.category}`, detail };
    if (c.kind === 'feedback')
      return { tone: 'chat', text: c.rating === null ? t.feedback : `${t.feedback} · ${t.rating(c.rating)}`, detail };
    return { tone: 'chat', text: t.chat, detail };
  }
  if (item.kind === 'survey_response') {
    const answers = Object.entries(item.response.answers)
      .map(([question, answer]) => `${question}: ${Array.isArray(answer) ? answer.join(', ') : String(answer)}`)
      .join(' · ');
    return { tone: 'survey', text: t.surveyAnswer, detail: answers };
  }
  const p = item.properties;
  const product = prop(p, 'name') ?? prop(p, 'product_id') ?? '';
  if (item.type === 'page') return { tone: 'page', text: t.viewedPage(item.urlPath ?? prop(p, 'path') ?? '/') };
  if (item.type === 'identify') return { tone: 'identity', text: t.identified };
  if (item.type === 'alias') return { tone: 'identity', text: t.aliased };
  switch (item.event) {
    case 'Product Viewed':
      return { tone: 'page', text: t.viewedProduct(product) };
    case 'Product Added':
      return { tone: 'cart', text: t.addedProduct(product) };
    case 'Product Removed':
      return { tone: 'cart', text: t.removedProduct(product) };
    case 'Cart Viewed':
      return { tone: 'cart', text: t.viewedCart };
    case 'Checkout Started':
      return { tone: 'cart', text: t.startedCheckout };
    case 'Order Completed': {
      const total = prop(p, 'total') ?? prop(p, 'revenue');
      const detail = [total && formatMoney(total, prop(p, 'currency')), t.products(productCount(p))]
        .filter(Boolean)
        .join(' · ');
      return { tone: 'order', text: t.placedOrder(prop(p, 'order_id') ?? ''), detail };
    }
    case 'Order Refunded':
      return { tone: 'order', text: t.refundedOrder(prop(p, 'order_id') ?? '') };
    default:
      return { tone: 'event', text: t.tracked(item.event ?? item.type) };
  }
}

const itemKey = (item: Item) =>
  item.kind === 'event'
    ? item.messageId
    : item.kind === 'conversation'
      ? `c:${item.conversation.id}`
      : `s:${item.response.id}`;

function Entries({ items }: { items: Item[] }) {
  const t = useMessages(messages);
  return (
    <>
      {items.map((item) => {
        const d = describe(item, t);
        return (
          <li
            key={itemKey(item)}
            class={`tl-${d.tone}`}
            data-kind={item.kind === 'event' ? (item.event ?? item.type) : item.kind}
          >
            <time dateTime={item.at}>{formatDateTime(item.at)}</time>
            <span class="tl-text">{d.text}</span>
            {d.detail && <span class="tl-detail">{d.detail}</span>}
          </li>
        );
      })}
    </>
  );
}

function Pages({ id, behaviour }: { id: string; behaviour: boolean }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const first = useLoad(() => fetchPage(api, id, behaviour, undefined), [id, behaviour]);
  const [older, setOlder] = useState<Page[]>([]);
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  return (
    <Loaded load={first}>
      {(page) => {
        const pages = [page, ...older];
        const next = pages.at(-1)?.nextCursor ?? null;
        const items = pages.flatMap((p) => p.items);
        const more = async () => {
          if (!next) return;
          setState({ busy: true });
          try {
            const loaded = await fetchPage(api, id, behaviour, next);
            setOlder((o) => [...o, loaded]);
            setState({ busy: false });
          } catch (error) {
            setState({ busy: false, error });
          }
        };
        if (items.length === 0) return <Empty>{t.timelineEmpty}</Empty>;
        return (
          <>
            <ol class="timeline" aria-label={t.timelineCaption}>
              <Entries items={items} />
            </ol>
            {state.error !== undefined && <ErrorNote error={state.error} onRetry={() => void more()} />}
            {next && (
              <button type="button" disabled={state.busy} onClick={() => void more()}>
                {state.busy ? t.loadingOlder : t.older}
              </button>
            )}
          </>
        );
      }}
    </Loaded>
  );
}

export function Timeline({ id }: { id: string }) {
  const t = useMessages(messages);
  const [behaviour, setBehaviour] = useState(false);
  return (
    <section class="card profile-timeline" aria-labelledby="profile-timeline-title">
      <div class="section-head">
        <h3 id="profile-timeline-title">{t.timeline}</h3>
        <label class="check">
          <input type="checkbox" checked={behaviour} onChange={(e) => setBehaviour(e.currentTarget.checked)} />{' '}
          {t.showBehaviour}
        </label>
      </div>
      {/* Keyed: switching the filter starts again from the newest page. */}
      <Pages key={String(behaviour)} id={id} behaviour={behaviour} />
    </section>
  );
}
