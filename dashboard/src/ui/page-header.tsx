// A page's title (the page's only h2: the shell's h1 is the product) with its actions on the right.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Fideliza`;
  }, [title]);
  return (
    <div class="page-header">
      <h2>{title}</h2>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}
