// Filing a complaint (category, order number, description, email, up to three photos) and looking one up by ticket.
import { batch, signal } from '@preact/signals';
import { type Api, ApiError, failureKind, type WireComplaintStatus } from '../../api/client.ts';
import { fill, type Messages } from '../../i18n/index.ts';

/** The server's limits, checked here too so the visitor hears of them before uploading anything. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const MAX_PHOTOS = 3;

export const CATEGORIES = ['delivery', 'product', 'billing', 'service', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

type Failure = 'unreachable' | 'tooMany' | 'failed';
export type ComplaintError = Failure | 'required' | 'badEmail';
export type StatusError = Failure | 'badTicket' | 'notFound' | 'badEmail';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TICKET = /^RC-\d{4}-\d{6,}$/;

/** Why a photo cannot be attached, as text; null when it can. */
export function photoProblem(file: File, t: Messages): string | null {
  if (!PHOTO_TYPES.includes(file.type)) return fill(t.notImage, { name: file.name });
  if (file.size > MAX_PHOTO_BYTES) return fill(t.tooBig, { name: file.name });
  return null;
}

export function createComplaint(api: Api) {
  const state = {
    category: signal<Category>('delivery'),
    orderNumber: signal(''),
    description: signal(''),
    email: signal(''),
    photos: signal<File[]>([]),
    /** Messages about photos that were refused (type, size, count). */
    photoErrors: signal<string[]>([]),
    busy: signal(false),
    error: signal<ComplaintError | null>(null),
    /** Which field the error is about, for aria-invalid. */
    errorField: signal<'description' | 'email' | null>(null),
    ticket: signal<string | null>(null),
    photosFailed: signal(false),
  };

  return {
    ...state,
    /** Keeps the acceptable files (at most three in all) and says why the others were left out. */
    addPhotos(files: File[], t: Messages) {
      const kept = [...state.photos.value];
      const problems: string[] = [];
      for (const file of files) {
        const problem = photoProblem(file, t);
        if (problem) problems.push(problem);
        else if (kept.length >= MAX_PHOTOS) {
          if (!problems.includes(t.tooMany3)) problems.push(t.tooMany3);
        } else kept.push(file);
      }
      batch(() => {
        state.photos.value = kept;
        state.photoErrors.value = problems;
      });
    },
    removePhoto(index: number) {
      state.photos.value = state.photos.value.filter((_, i) => i !== index);
    },
    async submit() {
      if (state.busy.value) return;
      const description = state.description.value.trim();
      const email = state.email.value.trim();
      const invalid = (error: ComplaintError, field: 'description' | 'email') =>
        batch(() => {
          state.error.value = error;
          state.errorField.value = field;
        });
      if (!description) return invalid('required', 'description');
      if (email && !EMAIL.test(email)) return invalid('badEmail', 'email');
      state.busy.value = true;
      state.error.value = state.errorField.value = null;
      const orderNumber = state.orderNumber.value.trim();
      try {
        const filed = await api.complain({
          category: state.category.value,
          description,
          ...(orderNumber ? { orderNumber } : {}),
          ...(email ? { email } : {}),
        });
        // The complaint stands even if a photo fails; the visitor is told which part did not arrive.
        let failed = false;
        for (const photo of state.photos.value) {
          await api.photo(filed.conversationId, photo).catch(() => {
            failed = true;
          });
        }
        batch(() => {
          state.ticket.value = filed.ticket;
          state.photosFailed.value = failed;
        });
      } catch (error) {
        state.error.value = failureKind(error);
      } finally {
        state.busy.value = false;
      }
    },
  };
}

export function createStatus(api: Api) {
  const state = {
    ticket: signal(''),
    email: signal(''),
    busy: signal(false),
    result: signal<WireComplaintStatus | null>(null),
    error: signal<StatusError | null>(null),
  };
  const fail = (error: StatusError) => {
    state.error.value = error;
  };
  return {
    ...state,
    async lookup() {
      if (state.busy.value) return;
      const ticket = state.ticket.value.trim().toUpperCase();
      const email = state.email.value.trim();
      if (!TICKET.test(ticket)) return fail('badTicket');
      if (email && !EMAIL.test(email)) return fail('badEmail');
      state.busy.value = true;
      state.error.value = null;
      try {
        state.result.value = await api.status(ticket, email || undefined);
      } catch (error) {
        batch(() => {
          state.result.value = null;
          state.error.value = error instanceof ApiError && error.status === 404 ? 'notFound' : failureKind(error);
        });
      } finally {
        state.busy.value = false;
      }
    },
  };
}

export type ComplaintState = ReturnType<typeof createComplaint>;
export type StatusState = ReturnType<typeof createStatus>;
