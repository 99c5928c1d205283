// The pages with heatmap data, busiest first: links (Tab, Enter, and the arrow keys move along the list).
import { useId } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { messages } from './messages.ts';

export interface PageTraffic {
  path: string;
  clicks: number;
  rage: number;
  scrolls: number;
}

/** Up and Down move the focus to the next or previous page's link, Home and End to the ends. */
function moveFocus(event: KeyboardEvent) {
  const links = [...(event.currentTarget as HTMLElement).querySelectorAll('a')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  const to =
    event.key === 'ArrowDown'
      ? at + 1
      : event.key === 'ArrowUp'
        ? at - 1
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? links.length - 1
            : undefined;
  const target = to === undefined ? undefined : links[Math.max(0, Math.min(links.length - 1, to))];
  if (!target) return;
  event.preventDefault();
  target.focus();
}

export function PageList({
  pages,
  current,
  hrefOf,
}: {
  pages: readonly PageTraffic[];
  current: string | undefined;
  hrefOf: (path: string) => string;
}) {
  const t = useMessages(messages);
  const id = useId();
  return (
    <nav class="heat-pages card" aria-labelledby={id}>
      <h3 id={id}>{t.pages}</h3>
      <p class="hint">{t.pagesHint}</p>
      <ol onKeyDown={moveFocus}>
        {pages.map((p) => (
          <li key={p.path}>
            <Link href={hrefOf(p.path)} aria-current={p.path === current ? 'true' : undefined}>
              <span class="heat-path">{p.path}</span>
              <span class="heat-figures">{t.pageFigures(p.clicks, p.scrolls)}</span>
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
