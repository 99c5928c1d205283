// Surveys: the list (`/surveys?status=`), the editor (`/surveys/new`, `/surveys/<id>/edit`) and a survey's
// results (`/surveys/<id>`).
import './surveys.css';
import type { SurveyStatus } from '@fideliza/server/protocol';
import type { PageProps } from '../../context.ts';
import { Editor } from './editor.tsx';
import { SurveyList } from './list.tsx';
import { Results } from './results.tsx';
import { STATUSES } from './status.tsx';

export default function SurveysPage({ path, query }: PageProps) {
  const [id, sub] = path;
  if (!id) {
    const status = query.get('status') as SurveyStatus;
    return <SurveyList status={STATUSES.includes(status) ? status : undefined} />;
  }
  if (id === 'new') return <Editor key="new" />;
  if (sub === 'edit') return <Editor key={id} id={id} />;
  return <Results key={id} id={id} />;
}
