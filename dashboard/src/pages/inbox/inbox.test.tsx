// @vitest-environment happy-dom
// The inbox against a fake server and a fake EventSource: the list with its filters and unread marks, live
// messages and new conversations, a conversation with optimistic replies, assignment and close, a complaint's
// workflow offered per role, and the stream's reconnects.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { button, choose, fakeServer, json, mountPage, refusal, type, unmountAll } from '../../testing.tsx';
import InboxPage from './index.tsx';
import { openInboxStream } from './stream.ts';

/** EventSource as the page uses it: tests open, feed and fail the streams it creates. */
class FakeEventSource {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent<string>) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  static get last(): FakeEventSource {
    const s = FakeEventSource.all.at(-1);
    if (!s) throw new Error('no stream opened');
    return s;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  send(data: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(data) }));
  }
  fail(giveUp: boolean) {
    this.readyState = giveUp ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

beforeEach(() => {
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  unmountAll();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const at = '2026-11-20T10:00:00.000Z';
const conversation = (id: string, over: object = {}) => ({
  id,
  kind: 'chat',
  status: 'open',
  createdAt: at,
  updatedAt: at,
  anonymousId: `anon-${id}`,
  userId: null,
  email: `${id}@example.com`,
  assigneeId: null,
  pageUrl: 'https://tienda.example/p/1',
  rating: null,
  ...over,
});
const row = (id: string, over: object = {}) => ({
  ...conversation(id),
  ticket: null,
  lastMessage: { id: 1, author: 'visitor', text: `Hola desde ${id}`, createdAt: at },
  unread: false,
  ...over,
});
const message = (id: number, conversationId: string, author: string, text: string, over: object = {}) => ({
  id,
  conversationId,
  author,
  event: null,
  text,
  createdAt: at,
  visibility: 'public',
  staffUserId: author === 'agent' ? 'u1' : null,
  ...over,
});
const team = {
  assignees: [
    { id: 'u1', email: 'ana@tienda.example', role: 'agent' },
    { id: 'u2', email: 'luis@tienda.example', role: 'agent' },
    { id: 'u3', email: 'vera@tienda.example', role: 'validator' },
  ],
};

/** Resolves when `resolve` is called: holds a fake answer back to see what the page shows meanwhile. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const rowsText = (root: Element) => [...root.querySelectorAll('.inbox-row')].map((r) => r.textContent ?? '');

describe('inbox list', () => {
  it('lists conversations with their filters, marks unread ones, and follows the stream live', async () => {
    let rows = [row('c2', { unread: true }), row('c1')];
    const server = fakeServer({
      'GET /api/conversations': () => json({ conversations: rows, nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
    });
    const { root, navigations } = mountPage(InboxPage, server.fetch, { href: '/inbox?kind=chat', role: 'agent' });
    await vi.waitFor(() => expect(rowsText(root)).toHaveLength(2));
    const list = server.requests.find((r) => r.path === '/api/conversations');
    expect(list?.query.get('kind')).toBe('chat');
    expect(root.querySelector('.inbox-row.unread')?.textContent).toContain('Unread: c2@example.com');
    expect(root.querySelectorAll('.inbox-row.unread')).toHaveLength(1);
    // The stream names the site in its query: EventSource cannot send headers.
    const stream = FakeEventSource.last;
    expect(new URL(stream.url).pathname).toBe('/api/conversations/events');
    expect(new URL(stream.url).searchParams.get('site')).toBe('s1');

    stream.open();
    await vi.waitFor(() => expect(root.querySelector('.live-state')?.textContent).toBe('Live'));
    // A visitor writes in a listed chat: its preview changes, it turns unread, and it is announced.
    stream.send(message(5, 'c1', 'visitor', '¿Seguís ahí?'));
    await vi.waitFor(() => expect(rowsText(root)[1]).toContain('¿Seguís ahí?'));
    expect(root.querySelectorAll('.inbox-row.unread')).toHaveLength(2);
    expect(root.querySelector('[aria-live="polite"]')?.textContent).toBe('New message from c1@example.com');
    // A chat closed elsewhere shows closed.
    stream.send(message(6, 'c1', 'system', 'closed', { event: 'status_changed' }));
    await vi.waitFor(() => expect(rowsText(root)[1]).toContain('Closed'));

    // A conversation the list has not seen: the first page is read again and it appears.
    const before = server.requests.filter((r) => r.path === '/api/conversations').length;
    rows = [row('c3', { unread: true }), ...rows];
    stream.send(message(7, 'c3', 'visitor', 'Nuevo chat'));
    await vi.waitFor(() => expect(rowsText(root)).toHaveLength(3));
    expect(server.requests.filter((r) => r.path === '/api/conversations').length).toBe(before + 1);

    // Filters go to the query (and the server).
    choose(root.querySelector('select'), 'complaint');
    expect(navigations.at(-1)).toBe('/inbox?kind=complaint');
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('kind')).toBe('complaint'));
  });

  it('asks for "assigned to me" with the signed-in user id, and says when nothing matches, in Spanish', async () => {
    const server = fakeServer({
      'GET /api/conversations': () => json({ conversations: [], nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
    });
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox?assignee=me', role: 'agent', lang: 'es' });
    await vi.waitFor(() =>
      expect(root.querySelector('.notice-empty')?.textContent).toBe('Ninguna conversación coincide con estos filtros.'),
    );
    expect(server.requests.find((r) => r.path === '/api/conversations')?.query.get('assignee')).toBe('u1');
    expect(root.querySelector('h2')?.textContent).toBe('Bandeja de entrada');
  });

  it('pages with the server cursor', async () => {
    const server = fakeServer({
      'GET /api/conversations': (req) =>
        new URL(req.url).searchParams.get('cursor') === 'next-1'
          ? json({ conversations: [row('old')], nextCursor: null })
          : json({ conversations: [row('new')], nextCursor: 'next-1' }),
      'GET /api/conversations/assignees': () => json(team),
    });
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox', role: 'agent' });
    await vi.waitFor(() => expect(rowsText(root)[0]).toContain('new@example.com'));
    button(root, 'Next page')?.click();
    await vi.waitFor(() => expect(rowsText(root)[0]).toContain('old@example.com'));
  });
});

describe('a conversation', () => {
  function chatServer(reply: () => Response | Promise<Response>) {
    return fakeServer({
      'GET /api/conversations': () => json({ conversations: [row('c1', { unread: true })], nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
      'GET /api/conversations/:id': () =>
        json({
          conversation: { ...conversation('c1'), profileId: 'p_ana' },
          messages: [message(3, 'c1', 'visitor', '<b>¿Tenéis la talla 43?</b>')],
          complaint: null,
          canAnswer: true,
        }),
      'POST /api/conversations/:id/read': (req) =>
        req.json().then((b) => json({ readUpTo: (b as { upTo: number }).upTo })),
      'POST /api/conversations/:id/messages': reply,
      'POST /api/conversations/:id/assign': (req) =>
        req
          .json()
          .then((b) =>
            json({ conversation: conversation('c1', { assigneeId: (b as { assignee: string }).assignee }) }),
          ),
      'POST /api/conversations/:id/status': (req) =>
        req
          .json()
          .then((b) => json({ conversation: conversation('c1', { status: (b as { status: string }).status }) })),
    });
  }

  it('shows the messages as text, links the customer file, and marks what it shows as read', async () => {
    const server = chatServer(() => refusal(500, 'x', 'x'));
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox/c1', role: 'agent' });
    await vi.waitFor(() => expect(root.querySelector('.msg-text')?.textContent).toBe('<b>¿Tenéis la talla 43?</b>'));
    expect(root.querySelector('.msg-text b')).toBeNull();
    expect(root.querySelector('h3#conv-title')?.textContent).toBe('c1@example.com');
    expect(root.querySelector('a[href="/dashboard/profiles/p_ana"]')?.textContent).toBe('Open the customer file');
    // The open row is not shown unread, and the server hears it was read up to the last message.
    expect(root.querySelector('.inbox-row.unread')).toBeNull();
    await vi.waitFor(() =>
      expect(server.requests.find((r) => r.path === '/api/conversations/c1/read')?.body).toEqual({ upTo: 3 }),
    );
    expect(root.querySelector('[role="log"]')?.getAttribute('aria-live')).toBe('polite');

    // A live message of this conversation lands in the log and is read too.
    FakeEventSource.last.open();
    FakeEventSource.last.send(message(9, 'c1', 'visitor', 'Y en azul?'));
    await vi.waitFor(() =>
      expect([...root.querySelectorAll('.msg-text')].map((m) => m.textContent)).toContain('Y en azul?'),
    );
    await vi.waitFor(() =>
      expect(server.requests.filter((r) => r.path === '/api/conversations/c1/read').at(-1)?.body).toEqual({ upTo: 9 }),
    );
  });

  it('shows a reply at once, confirms it, and keeps a failed one with a retry', async () => {
    const answers = [deferred<Response>(), deferred<Response>(), deferred<Response>()];
    let call = 0;
    const server = chatServer(() => (answers[call++] as { promise: Promise<Response> }).promise);
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox/c1', role: 'agent' });
    await vi.waitFor(() => expect(root.querySelector('#inbox-reply')).not.toBeNull());
    const box = root.querySelector('#inbox-reply');

    type(box, 'Sí, nos quedan dos pares.');
    box?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('.msg-sending')?.textContent).toContain('Sending…'));
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(server.requests.find((r) => r.path === '/api/conversations/c1/messages')?.body).toEqual({
      text: 'Sí, nos quedan dos pares.',
    });
    answers[0]?.resolve(json(message(4, 'c1', 'agent', 'Sí, nos quedan dos pares.'), 201));
    await vi.waitFor(() => expect(root.querySelector('.msg-sending')).toBeNull());
    expect(root.querySelector('.msg-agent .msg-author')?.textContent).toBe('ana@tienda.example');

    // The second reply fails: it stays, says why, and is sent again on request.
    type(box, 'Te los guardo.');
    root.querySelector('form.reply')?.dispatchEvent(new Event('submit', { cancelable: true }));
    answers[1]?.resolve(refusal(429, 'too_many', 'slow down'));
    await vi.waitFor(() =>
      expect(root.querySelector('.msg-failed [role="alert"]')?.textContent).toContain('Not sent: slow down'),
    );
    button(root, 'Try again')?.click();
    answers[2]?.resolve(json(message(5, 'c1', 'agent', 'Te los guardo.'), 201));
    await vi.waitFor(() => expect(root.querySelector('.msg-failed')).toBeNull());
    expect([...root.querySelectorAll('.msg-agent .msg-text')].map((m) => m.textContent)).toEqual([
      'Sí, nos quedan dos pares.',
      'Te los guardo.',
    ]);
    // An empty reply is not sent (other requests, such as the read marker, may go meanwhile).
    const replies = () => server.requests.filter((r) => r.path === '/api/conversations/c1/messages').length;
    const sent = replies();
    root.querySelector('form.reply')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('#inbox-reply-hint')?.textContent).toBe('Write a reply first.'));
    expect(replies()).toBe(sent);
  });

  it('keeps what the stream brings while the conversation loads, and follows its status live', async () => {
    const detail = deferred<Response>();
    const server = fakeServer({
      'GET /api/conversations': () => json({ conversations: [row('c1')], nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
      'GET /api/conversations/:id': () => detail.promise,
      'POST /api/conversations/:id/read': () => json({ readUpTo: 0 }),
    });
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox/c1', role: 'agent' });
    await vi.waitFor(() => expect(server.requests.some((r) => r.path === '/api/conversations/c1')).toBe(true));
    const stream = FakeEventSource.last;
    stream.send(message(4, 'c1', 'visitor', 'Escrito mientras cargaba'));
    detail.resolve(
      json({
        conversation: { ...conversation('c1'), profileId: null },
        messages: [message(3, 'c1', 'visitor', 'Primero')],
        complaint: null,
        canAnswer: true,
      }),
    );
    await vi.waitFor(() =>
      expect([...root.querySelectorAll('.msg-text')].map((m) => m.textContent)).toEqual([
        'Primero',
        'Escrito mientras cargaba',
      ]),
    );
    const badge = () => root.querySelector('.conv-title .badge:last-child')?.textContent;
    expect(badge()).toBe('Open');
    stream.send(message(5, 'c1', 'system', 'closed', { event: 'status_changed' }));
    await vi.waitFor(() => expect(badge()).toBe('Closed'));
    expect(button(root, 'Reopen conversation')).not.toBeNull();
    expect(root.querySelector('.msg-note')?.textContent).toContain('Status changed to Closed.');
    // The visitor writing again reopens it, as the server does.
    stream.send(message(6, 'c1', 'visitor', 'Una cosa más'));
    await vi.waitFor(() => expect(badge()).toBe('Open'));
    stream.send(message(7, 'c1', 'system', 'u2', { event: 'assigned', visibility: 'staff' }));
    await vi.waitFor(() =>
      expect((root.querySelector('.conv-controls select') as HTMLSelectElement | null)?.value).toBe('u2'),
    );
    expect([...root.querySelectorAll('.msg-note')].at(-1)?.textContent).toContain('Assigned to luis@tienda.example.');
  });

  it('assigns to me or a teammate and closes the chat', async () => {
    const server = chatServer(() => refusal(500, 'x', 'x'));
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox/c1', role: 'agent' });
    await vi.waitFor(() => expect(button(root, 'Assign to me')).not.toBeNull());
    button(root, 'Assign to me')?.click();
    await vi.waitFor(() => expect(button(root, 'Assign to me')).toBeNull());
    expect(server.requests.find((r) => r.path === '/api/conversations/c1/assign')?.body).toEqual({ assignee: 'u1' });
    choose(root.querySelector('.conv-controls select'), 'u2');
    await vi.waitFor(() => expect(server.requests.at(-1)?.body).toEqual({ assignee: 'u2' }));
    await vi.waitFor(() =>
      expect(root.querySelector('.inbox-view [role="status"]')?.textContent).toBe('Assigned to luis@tienda.example.'),
    );
    button(root, 'Close conversation')?.click();
    await vi.waitFor(() => expect(button(root, 'Reopen conversation')).not.toBeNull());
    expect(server.requests.find((r) => r.path === '/api/conversations/c1/status')?.body).toEqual({ status: 'closed' });
  });
});

describe('a complaint', () => {
  const complaint = (status: string, actions: { action: string; textRequired: boolean }[]) => ({
    conversation: { ...conversation('k1', { kind: 'complaint', status }), profileId: null },
    messages: [message(2, 'k1', 'system', 'registered', { event: 'status_changed' })],
    complaint: {
      ticket: 'RC-2026-000007',
      category: 'Envío',
      orderNumber: 'NT-000042',
      description: 'Llegó con la suela despegada',
      technicalReport: status === 'registered' ? null : 'Defecto de fábrica',
      validationNote: null,
      response: null,
      transitions: [
        { action: 'register', from: null, to: 'registered', actor: null, text: 'Llegó con la suela despegada', at },
        ...(status === 'registered'
          ? []
          : [
              {
                action: 'review',
                from: 'registered',
                to: 'in_review',
                actor: { id: 'u1', email: 'ana@tienda.example', role: 'agent' },
                text: 'Defecto de fábrica',
                at,
              },
            ]),
      ],
      photos: [{ id: 'ph1', contentType: 'image/jpeg', createdAt: at }],
      actions,
    },
    canAnswer: false,
  });

  it('shows what was filed and its history, and offers the validator only their steps', async () => {
    let state = complaint('in_review', [
      { action: 'validate', textRequired: false },
      { action: 'reject', textRequired: true },
    ]);
    const server = fakeServer({
      'GET /api/conversations': () => json({ conversations: [], nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
      'GET /api/conversations/:id': () => json(state),
      'POST /api/conversations/:id/read': () => json({ readUpTo: 2 }),
      'POST /api/complaints/:id/transitions': () => {
        state = complaint('rejected', []);
        return json({ status: 'rejected' });
      },
    });
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox/k1', role: 'validator' });
    await vi.waitFor(() => expect(root.querySelector('.complaint')).not.toBeNull());
    const text = root.querySelector('.complaint')?.textContent ?? '';
    for (const part of ['RC-2026-000007', 'Envío', 'NT-000042', 'Llegó con la suela despegada', 'Defecto de fábrica']) {
      expect(text).toContain(part);
    }
    expect([...root.querySelectorAll('.complaint-history li strong')].map((s) => s.textContent)).toEqual([
      'Registered, by the customer',
      'Technical report written, by ana@tienda.example (agent)',
    ]);
    const photo = root.querySelector<HTMLImageElement>('.complaint-photos img');
    expect(photo?.getAttribute('alt')).toBe('Photo 1 sent by the customer');
    expect(photo?.getAttribute('src')).toBe('http://fideliza.test/api/complaints/k1/photos/ph1?site=s1');
    // A validator neither replies nor assigns; they get exactly the steps the server offers.
    expect(root.querySelector('#inbox-reply')).toBeNull();
    expect(root.querySelector('.conv-controls')).toBeNull();
    expect([...root.querySelectorAll('.complaint .step-buttons button')].map((b) => b.textContent)).toEqual([
      'Validate',
      'Reject the report',
    ]);

    // Rejecting needs a reason: refused here before the server is asked.
    button(root, 'Reject the report')?.click();
    await vi.waitFor(() => expect(root.querySelector('#step-reject')).not.toBeNull());
    expect(document.activeElement?.id).toBe('step-reject');
    root.querySelector('form.step-form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() =>
      expect(root.querySelector('.step-form .error-text')?.textContent).toBe('This step needs a text.'),
    );
    expect(server.requests.some((r) => r.path === '/api/complaints/k1/transitions')).toBe(false);

    type(root.querySelector('#step-reject'), 'Faltan fotos del defecto');
    root.querySelector('form.step-form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() =>
      expect(root.querySelector('.complaint .notice')?.textContent).toBe('Nothing for your role to do at this stage.'),
    );
    expect(server.requests.find((r) => r.path === '/api/complaints/k1/transitions')?.body).toEqual({
      action: 'reject',
      text: 'Faltan fotos del defecto',
    });
    expect(root.querySelector('.inbox-view [role="status"]')?.textContent).toBe('The complaint is now: Rejected.');
  });

  it("shows the server's refusal of a step", async () => {
    const server = fakeServer({
      'GET /api/conversations': () => json({ conversations: [], nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
      'GET /api/conversations/:id': () => json(complaint('registered', [{ action: 'review', textRequired: true }])),
      'POST /api/conversations/:id/read': () => json({ readUpTo: 2 }),
      'POST /api/complaints/:id/transitions': () =>
        refusal(409, 'invalid_transition', 'cannot review a complaint that is in_review'),
    });
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox/k1', role: 'agent' });
    await vi.waitFor(() => expect(button(root, 'Write the technical report')).not.toBeNull());
    button(root, 'Write the technical report')?.click();
    await vi.waitFor(() => expect(root.querySelector('#step-review')).not.toBeNull());
    type(root.querySelector('#step-review'), 'Revisado');
    root.querySelector('form.step-form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() =>
      expect(root.querySelector('.step-form [role="alert"]')?.textContent).toContain(
        'cannot review a complaint that is in_review',
      ),
    );
  });
});

describe('the inbox stream', () => {
  it('reopens with backoff after the browser gives up, resuming after the last message, and resyncs only without one', async () => {
    const delays: number[] = [];
    const stream = openInboxStream('http://fideliza.test/api/conversations/events?site=s1', {
      EventSource: FakeEventSource as unknown as typeof EventSource,
      backoff: (attempt) => {
        delays.push(attempt);
        return 0;
      },
    });
    const got: number[] = [];
    let resyncs = 0;
    stream.onMessage((m) => got.push(m.id));
    stream.onResync(() => resyncs++);

    const first = FakeEventSource.last;
    first.open();
    expect(resyncs).toBe(1);
    expect(stream.state.value).toBe('live');
    first.send(message(4, 'c1', 'visitor', 'a'));
    first.send(message(4, 'c1', 'visitor', 'a'));
    first.send(message(5, 'c1', 'visitor', 'b'));
    expect(got).toEqual([4, 5]);

    // The browser retrying by itself: nothing for us to do.
    first.fail(false);
    expect(stream.state.value).toBe('reconnecting');
    expect(FakeEventSource.all).toHaveLength(1);
    // It gave up: a new stream after a wait, from after message 5, and again longer if that fails too.
    first.fail(true);
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(2));
    expect(FakeEventSource.last.url).toBe('http://fideliza.test/api/conversations/events?site=s1&lastEventId=5');
    FakeEventSource.last.fail(true);
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(3));
    expect(delays).toEqual([0, 1]);
    FakeEventSource.last.open();
    // Resumed, not restarted: no resync; the backoff starts over.
    expect(resyncs).toBe(1);
    FakeEventSource.last.send(message(6, 'c1', 'agent', 'c'));
    expect(got).toEqual([4, 5, 6]);
    FakeEventSource.last.fail(true);
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(4));
    expect(delays).toEqual([0, 1, 0]);

    stream.close();
    expect(FakeEventSource.last.closed).toBe(true);
  });

  it('reads the list again when the stream (re)starts from now', async () => {
    const server = fakeServer({
      'GET /api/conversations': () => json({ conversations: [row('c1')], nextCursor: null }),
      'GET /api/conversations/assignees': () => json(team),
    });
    const { root } = mountPage(InboxPage, server.fetch, { href: '/inbox', role: 'agent' });
    await vi.waitFor(() => expect(rowsText(root)).toHaveLength(1));
    const lists = () => server.requests.filter((r) => r.path === '/api/conversations').length;
    const before = lists();
    FakeEventSource.last.open();
    await vi.waitFor(() => expect(lists()).toBe(before + 1));
    FakeEventSource.last.fail(false);
    await vi.waitFor(() =>
      expect(root.querySelector('.live-state')?.textContent).toBe('Live updates interrupted: reconnecting…'),
    );
    // Leaving the inbox ends its stream.
    unmountAll();
    await vi.waitFor(() => expect(FakeEventSource.last.closed).toBe(true));
  });
});
