// Customers: search (`/profiles?q=…`) and the customer file (`/profiles/<id>`), with its timeline, "for you"
// and, for marketers and admins, the privacy requests.
import './profiles.css';
import type { PageProps } from '../../context.ts';
import { ProfileFile } from './file.tsx';
import { ProfileList } from './list.tsx';

export default function ProfilesPage({ path, query }: PageProps) {
  const [id] = path;
  return id ? <ProfileFile key={id} id={id} /> : <ProfileList key={query.get('q') ?? ''} query={query} />;
}
