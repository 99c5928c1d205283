// Paging for lists the server pages with a cursor: the cursors seen so far make "previous" possible.
import { useState } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import { messages } from './messages.ts';

/** The cursor of the page to ask for, and how to move given the server's `nextCursor`. */
export function useCursor() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (nextCursor: string) => setStack((s) => [...s, nextCursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

export function CursorPager({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof useCursor>;
  nextCursor: string | null | undefined;
}) {
  const t = useMessages(messages);
  if (pager.page === 1 && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={t.pages}>
      <button type="button" disabled={pager.page === 1} onClick={pager.previous}>
        {t.previous}
      </button>
      <span aria-live="polite">{pager.page}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        {t.next}
      </button>
    </nav>
  );
}
