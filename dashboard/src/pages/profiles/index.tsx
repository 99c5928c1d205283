// Placeholder until this area's page is written (issue 6); replaced by the area's own page.
import type { PageProps } from '../../context.ts';
import { PageHeader } from '../../ui/page-header.tsx';

export default function Page(_props: PageProps) {
  return <PageHeader title="profiles" />;
}
