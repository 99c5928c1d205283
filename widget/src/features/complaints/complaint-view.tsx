// The complaint tab: the form, then the ticket number with a way to check its status.
import { useEffect, useRef } from 'preact/hooks';
import type { Messages } from '../../i18n/index.ts';
import { Problem } from '../../ui/problem.tsx';
import { CATEGORIES, type Category, type ComplaintState, MAX_PHOTOS, PHOTO_TYPES } from './complaint-state.ts';

export function ComplaintView({
  complaint,
  t,
  onCheck,
}: {
  complaint: ComplaintState;
  t: Messages;
  onCheck(ticket: string): void;
}) {
  const ticket = complaint.ticket.value;
  const done = useRef<HTMLDivElement>(null);
  // The form disappears on success: focus goes to the result so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (ticket) done.current?.focus();
  }, [ticket]);

  if (ticket) {
    return (
      <div class="done" ref={done} tabIndex={-1} role="status">
        <p>
          {t.filed} <strong class="ticket">{ticket}</strong>
        </p>
        {complaint.photosFailed.value ? <p>{t.photosFailed}</p> : null}
        <button type="button" onClick={() => onCheck(ticket)}>
          {t.checkStatus}
        </button>
      </div>
    );
  }

  const error = complaint.error.value;
  const field = complaint.errorField.value;
  const photos = complaint.photos.value;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void complaint.submit();
      }}
    >
      <label>
        {t.category}
        <select
          value={complaint.category.value}
          onChange={(e) => {
            complaint.category.value = e.currentTarget.value as Category;
          }}
        >
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t.categories[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>
          {t.orderNumber} <span class="hint">{t.optional}</span>
        </span>
        <input
          maxLength={100}
          value={complaint.orderNumber.value}
          onInput={(e) => {
            complaint.orderNumber.value = e.currentTarget.value;
          }}
        />
      </label>
      <label>
        {t.description}
        <textarea
          rows={4}
          required
          maxLength={4000}
          aria-invalid={field === 'description'}
          value={complaint.description.value}
          onInput={(e) => {
            complaint.description.value = e.currentTarget.value;
          }}
        />
      </label>
      <label>
        <span>
          {t.complaintEmail} <span class="hint">{t.optional}</span>
        </span>
        <input
          type="email"
          autocomplete="email"
          aria-invalid={field === 'email'}
          value={complaint.email.value}
          onInput={(e) => {
            complaint.email.value = e.currentTarget.value;
          }}
        />
      </label>
      <label>
        <span>
          {t.photos} <span class="hint">{t.optional}</span>
        </span>
        <input
          type="file"
          accept={PHOTO_TYPES.join(',')}
          multiple
          disabled={photos.length >= MAX_PHOTOS}
          onChange={(e) => {
            const input = e.currentTarget;
            complaint.addPhotos([...(input.files ?? [])], t);
            // Cleared so the same file can be picked again after removing it.
            input.value = '';
          }}
        />
      </label>
      {photos.length ? (
        <ul class="files">
          {photos.map((file, i) => (
            <li key={`${i}:${file.name}`}>
              {file.name}{' '}
              <button type="button" class="link" onClick={() => complaint.removePhoto(i)}>
                ✕<span class="sr"> {file.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {complaint.photoErrors.value.map((text) => (
        <Problem key={text} text={text} />
      ))}
      {error ? <Problem text={t[error]} /> : null}
      <button type="submit" class="primary" aria-disabled={complaint.busy.value}>
        {complaint.busy.value ? t.sending : t.fileComplaint}
      </button>
    </form>
  );
}
