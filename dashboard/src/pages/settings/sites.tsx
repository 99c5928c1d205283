// The sites the user works on, and for admins a form to create one (they become its admin; keys shown once).
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { Field } from '../../ui/field.tsx';
import { DataTable } from '../../ui/table.tsx';
import { errorFor } from './errors.ts';
import { messages } from './messages.ts';
import { Copyable, Outcome, Section } from './parts.tsx';
import { useAction } from './use-action.ts';

interface Created {
  name: string;
  writeKey: string;
  secretKey: string;
}

function CreateSite() {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const [name, setName] = useState('');
  const [origin, setOrigin] = useState('');
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<Created | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const origins = origin.trim() ? [origin.trim()] : [];
    await run(async () => {
      setCreated(await call(api.api.sites.$post({ json: { name, origins } })));
      setName('');
      setOrigin('');
    }, origins);
  };

  return (
    <form class="create-site" onSubmit={(e) => void submit(e)} noValidate>
      <h4>{t.createSite}</h4>
      <div class="row">
        <Field label={t.newSiteName} error={errorFor(error, 'name')}>
          {(ids) => (
            <input
              {...ids}
              name="siteName"
              value={name}
              maxLength={100}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t.newSiteOrigin} error={errorFor(error, 'origins')}>
          {(ids) => (
            <input
              {...ids}
              type="url"
              name="siteOrigin"
              value={origin}
              placeholder="https://shop.example"
              onInput={(e) => setOrigin(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.creating : t.create}
        </button>
      </div>
      <Outcome error={error} fields={['name', 'origins']} />
      {created && (
        <div class="notice notice-ok" role="status">
          <p>{t.siteCreated(created.name)}</p>
          <p>{t.writeKey}</p>
          <Copyable value={created.writeKey} label={t.writeKey} />
          <p>{t.secretKey}</p>
          <Copyable value={created.secretKey} label={t.secretKey} />
          {/* The shell reads the user's sites when it starts, so the new one appears in its picker after a reload. */}
          <button type="button" onClick={() => location.reload()}>
            {t.reloadToUse}
          </button>
        </div>
      )}
    </form>
  );
}

export function Sites({ canCreate }: { canCreate: boolean }) {
  const t = useMessages(messages);
  const { me, site } = useDashboard();
  const sites = me.value?.sites ?? [];
  return (
    <Section id="settings-sites" title={t.sites}>
      <DataTable
        caption={t.sitesCaption}
        rowKey={(s) => s.siteId}
        rows={sites}
        columns={[
          {
            label: t.siteName,
            cell: (s) => (s.siteId === site.value.siteId ? `${s.siteName} (${t.current})` : s.siteName),
          },
          { label: t.role, cell: (s) => t.roles[s.role] },
        ]}
      />
      {canCreate && <CreateSite />}
    </Section>
  );
}
