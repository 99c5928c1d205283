// @vitest-environment happy-dom
// Complaints: validation (description, email, photos by type, size and count), filing with photos, the ticket
// number with focus on it, and the status lookup with its history and the shop's answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type WireComplaintStatus } from '../../api/client.ts';
import { fakeApi, mountWidget, unreachable } from '../../testing.ts';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function open(api: ReturnType<typeof fakeApi>['api'], tab = 'Complaint') {
  const w = mountWidget(api);
  unmount = w.handle.unmount;
  await w.open();
  await w.tab(tab);
  return w;
}

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });

/** Picks files in the photo input as a browser would (its `files` list, then a change event). */
function pick(input: HTMLInputElement, files: File[]) {
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const closed: WireComplaintStatus = {
  ticket: 'RC-2026-000007',
  conversationId: 'k1',
  status: 'closed',
  category: 'product',
  orderNumber: 'A-1',
  createdAt: '2026-11-20T10:00:00.000Z',
  response: 'Te devolvemos el importe: https://tienda.example/reembolso',
  history: [
    { status: 'registered', at: '2026-11-20T10:00:00.000Z' },
    { status: 'in_review', at: '2026-11-20T11:00:00.000Z' },
    { status: 'rejected', at: '2026-11-20T12:00:00.000Z' },
    { status: 'in_review', at: '2026-11-20T13:00:00.000Z' },
    { status: 'validated', at: '2026-11-21T09:00:00.000Z' },
    { status: 'resolved', at: '2026-11-21T10:00:00.000Z' },
    { status: 'closed', at: '2026-11-22T10:00:00.000Z' },
  ],
  photos: [],
};

describe('complaint form', () => {
  it('requires a description and a valid email when one is given', async () => {
    const { api } = fakeApi();
    const w = await open(api);
    w.button('Send complaint').click();
    await w.sees('Please fill in this field.');
    expect(w.$('textarea').getAttribute('aria-invalid')).toBe('true');
    w.type('textarea', 'Llegó roto');
    w.type('input[type=email]', 'ana@');
    w.button('Send complaint').click();
    await w.sees('Enter a valid email address.');
    expect(w.$('input[type=email]').getAttribute('aria-invalid')).toBe('true');
    expect(w.$('textarea').getAttribute('aria-invalid')).toBe('false');
    expect(api.complain).not.toHaveBeenCalled();
  });

  it('accepts only JPEG, PNG and WebP photos up to 2 MB, at most three', async () => {
    const { api } = fakeApi();
    const w = await open(api);
    const input = w.$<HTMLInputElement>('input[type=file]');
    expect(input.getAttribute('accept')).toBe('image/jpeg,image/png,image/webp');
    pick(input, [
      file('a.png', 'image/png'),
      file('notes.pdf', 'application/pdf'),
      file('vector.svg', 'image/svg+xml'),
      file('huge.jpg', 'image/jpeg', 2 * 1024 * 1024 + 1),
      file('b.jpg', 'image/jpeg', 2 * 1024 * 1024),
    ]);
    await w.sees('notes.pdf is not a JPEG, PNG or WebP image.');
    expect(w.text()).toContain('vector.svg is not a JPEG, PNG or WebP image.');
    expect(w.text()).toContain('huge.jpg is larger than 2 MB.');
    expect([...w.root.querySelectorAll('.files li')].map((li) => li.firstChild?.textContent)).toEqual([
      'a.png',
      'b.jpg',
    ]);
    pick(input, [file('c.webp', 'image/webp'), file('d.png', 'image/png')]);
    await w.sees('Attach at most 3 photos.');
    expect(w.root.querySelectorAll('.files li')).toHaveLength(3);
    expect(input.disabled).toBe(true);
    // Removing one makes room again.
    w.root.querySelector<HTMLButtonElement>('.files button')!.click();
    await vi.waitFor(() => expect(w.root.querySelectorAll('.files li')).toHaveLength(2));
    expect(input.disabled).toBe(false);
  });

  it('files the complaint, uploads its photos and moves focus to the ticket number', async () => {
    const { api } = fakeApi();
    const w = await open(api);
    w.type('select', 'delivery');
    w.type('input:not([type])', ' A-1001 ');
    w.type('textarea', 'No ha llegado');
    w.type('input[type=email]', 'ana@example.com');
    const photo = file('caja.jpg', 'image/jpeg');
    pick(w.$<HTMLInputElement>('input[type=file]'), [photo]);
    w.button('Send complaint').click();
    await w.sees('Your complaint is registered. Ticket number: RC-2026-000007');
    expect(api.complain).toHaveBeenCalledWith({
      category: 'delivery',
      orderNumber: 'A-1001',
      description: 'No ha llegado',
      email: 'ana@example.com',
    });
    expect(api.photo).toHaveBeenCalledWith('k1', photo);
    await vi.waitFor(() => expect(w.root.activeElement).toBe(w.$('.done')));
    expect(w.text()).not.toContain('Some photos could not be uploaded.');
  });

  it('still gives the ticket when a photo upload fails, and says so', async () => {
    const { api } = fakeApi();
    api.photo.mockRejectedValueOnce(new ApiError(415, 'not_an_image'));
    const w = await open(api);
    w.type('textarea', 'Roto');
    pick(w.$<HTMLInputElement>('input[type=file]'), [file('x.png', 'image/png')]);
    w.button('Send complaint').click();
    await w.sees('RC-2026-000007');
    expect(w.text()).toContain('Some photos could not be uploaded.');
  });

  it('keeps everything written when the server cannot be reached', async () => {
    const { api } = fakeApi();
    api.complain.mockImplementationOnce(unreachable);
    const w = await open(api);
    w.type('textarea', 'Roto');
    w.button('Send complaint').click();
    await w.sees('We cannot reach the shop right now.');
    expect(w.$<HTMLTextAreaElement>('textarea').value).toBe('Roto');
    w.button('Send complaint').click();
    await w.sees('RC-2026-000007');
  });

  it('checks the new ticket from the result, in the status tab', async () => {
    const { api } = fakeApi();
    api.status.mockResolvedValue({
      ...closed,
      status: 'registered',
      response: null,
      history: closed.history.slice(0, 1),
    });
    const w = await open(api);
    w.type('textarea', 'Roto');
    w.button('Send complaint').click();
    await w.sees('RC-2026-000007');
    w.button('Check its status').click();
    await w.sees('Status: Registered');
    expect(api.status).toHaveBeenCalledWith('RC-2026-000007', undefined);
    expect(w.root.activeElement?.id).toBe('fz-tab-status');
    expect(w.text()).not.toContain('The shop’s answer');
  });
});

describe('ticket status', () => {
  it('checks the ticket format before asking', async () => {
    const { api } = fakeApi();
    const w = await open(api, 'Check a ticket');
    w.type('input', '12345');
    w.button('Check').click();
    await w.sees('A ticket number looks like RC-2026-000123.');
    expect(api.status).not.toHaveBeenCalled();
  });

  it('says when no complaint matches', async () => {
    const { api } = fakeApi();
    const w = await open(api, 'Check a ticket');
    w.type('input', 'rc-2026-000099');
    w.type('input[type=email]', 'ana@example.com');
    w.button('Check').click();
    await w.sees('We found no complaint with that ticket for you.');
    expect(api.status).toHaveBeenCalledWith('RC-2026-000099', 'ana@example.com');
  });

  it('shows the status, the whole history and the shop’s final answer (links only for http/https)', async () => {
    const { api } = fakeApi();
    api.status.mockResolvedValue(closed);
    const w = await open(api, 'Check a ticket');
    w.type('input', 'RC-2026-000007');
    w.button('Check').click();
    await w.sees('Status: Closed');
    expect(w.$('.answer p').textContent).toBe(closed.response);
    expect(w.$('.answer a').getAttribute('href')).toBe('https://tienda.example/reembolso');
    const history = [...w.root.querySelectorAll('.history li')].map((li) => li.textContent?.split(' · ')[0]);
    expect(history).toEqual([
      'Registered',
      'In review',
      'Back in review',
      'In review',
      'Validated',
      'Resolved',
      'Closed',
    ]);
    expect(w.$('.history time').getAttribute('datetime')).toBe('2026-11-20T10:00:00.000Z');
  });

  it('says when the server cannot be reached and keeps the ticket typed', async () => {
    const { api } = fakeApi();
    api.status.mockImplementationOnce(unreachable);
    const w = await open(api, 'Check a ticket');
    w.type('input', 'RC-2026-000007');
    w.button('Check').click();
    await w.sees('We cannot reach the shop right now.');
    expect(w.$<HTMLInputElement>('input').value).toBe('RC-2026-000007');
  });
});
