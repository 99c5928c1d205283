// Settings: the site (name, origins), install snippets, widget look and chat hours, keys, team and sites.
// Admins change everything; marketers read the site, snippet and look; everyone sees the sites they work on.
// The server's policy decides (auth/policy.ts): this page only leaves out what a role would be refused.
import './settings.css';
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { type PageProps, useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { useLoad } from '../../ui/load.ts';
import { Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { Install } from './install.tsx';
import { Keys } from './keys.tsx';
import { messages } from './messages.ts';
import { SiteForm } from './site-form.tsx';
import { Sites } from './sites.tsx';
import { Team } from './team.tsx';
import type { SiteUpdate, SiteView } from './types.ts';
import { WidgetForm } from './widget-form.tsx';

function SiteSettings({ editable }: { editable: boolean }) {
  const { api } = useDashboard();
  const load = useLoad(() => call(api.api.site.$get()), []);
  // What the last save or key rotation returned, newer than the loaded copy.
  const [latest, setLatest] = useState<SiteView | undefined>(undefined);

  return (
    <Loaded load={{ ...load, data: latest ?? load.data }}>
      {(site) => {
        // Each form edits its part; the PUT replaces the whole, so the other parts go back as they are.
        const save = async (patch: Partial<SiteUpdate>) => {
          const body = { name: site.name, origins: site.origins, settings: site.settings, ...patch };
          setLatest(await call(api.api.site.$put({ json: body })));
        };
        return (
          <>
            <SiteForm site={site} editable={editable} save={save} />
            <Install site={site} />
            <WidgetForm settings={site.settings} editable={editable} save={save} />
            {editable && <Keys writeKey={site.writeKey} onWriteKey={(writeKey) => setLatest({ ...site, writeKey })} />}
          </>
        );
      }}
    </Loaded>
  );
}

export default function SettingsPage(_props: PageProps) {
  const t = useMessages(messages);
  const { site } = useDashboard();
  const role = site.value.role;
  const admin = role === 'admin';
  return (
    <div class="settings">
      <PageHeader title={t.title} />
      {!admin && <p class="notice">{t.adminsOnly}</p>}
      {(admin || role === 'marketer') && <SiteSettings editable={admin} />}
      {admin && <Team />}
      <Sites canCreate={admin} />
    </div>
  );
}
