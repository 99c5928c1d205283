// Segments: the list, the rule builder (new, saved or built-in) with its live count, and each segment's members
// with the CSV export. `/segments`, `/segments/new?from=<id>`, `/segments/<id>`, `/segments/<id>/members`.
import './segments.css';
import type { PageProps } from '../../context.ts';
import { Builder } from './builder.tsx';
import { SegmentList } from './list.tsx';
import { Members } from './members.tsx';

export default function SegmentsPage({ path, query }: PageProps) {
  const [id, sub] = path;
  if (!id) return <SegmentList />;
  if (id === 'new') return <Builder key={`new:${query.get('from') ?? ''}`} copyFrom={query.get('from') ?? undefined} />;
  if (sub === 'members') return <Members id={id} />;
  return <Builder key={id} id={id} saved={query.get('saved') === '1'} />;
}
