// The site's name and allowed origins: an editable form for admins, a plain list for the others.
import { useState } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { Field } from '../../ui/field.tsx';
import { errorFor } from './errors.ts';
import { messages } from './messages.ts';
import { Outcome, Section } from './parts.tsx';
import type { SiteUpdate, SiteView } from './types.ts';
import { useAction } from './use-action.ts';

export function SiteForm({
  site,
  editable,
  save,
}: {
  site: SiteView;
  editable: boolean;
  save: (patch: Partial<SiteUpdate>) => Promise<void>;
}) {
  const t = useMessages(messages);
  const [name, setName] = useState(site.name);
  const [origins, setOrigins] = useState<string[]>(site.origins);
  const { busy, error, done, run } = useAction();

  if (!editable) {
    return (
      <Section id="settings-site" title={t.site}>
        <dl class="facts">
          <dt>{t.siteName}</dt>
          <dd>{site.name}</dd>
          <dt>{t.origins}</dt>
          <dd>
            {site.origins.length === 0 ? (
              t.noOrigins
            ) : (
              <ul class="plain">
                {site.origins.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </Section>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    // Blank rows are dropped before sending, so the server's `origins.N` points at the rows shown.
    const typed = origins.map((o) => o.trim()).filter((o) => o !== '');
    setOrigins(typed);
    await run(() => save({ name, origins: typed }), typed);
  };
  const setOrigin = (i: number, value: string) => setOrigins(origins.map((o, j) => (j === i ? value : o)));

  return (
    <Section id="settings-site" title={t.site}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t.siteName} error={errorFor(error, 'name')}>
          {(ids) => (
            <input
              {...ids}
              name="name"
              value={name}
              required
              maxLength={100}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <fieldset class="origins">
          <legend>{t.origins}</legend>
          <p class="hint" id="origins-hint">
            {t.originsHint}
          </p>
          {origins.length === 0 && <p class="notice">{t.noOrigins}</p>}
          {origins.map((origin, i) => (
            <div class="row" key={i}>
              <Field label={t.originLabel(i + 1)} error={errorFor(error, `origins.${i}`)}>
                {(ids) => (
                  <input
                    {...ids}
                    type="url"
                    name={`origin-${i}`}
                    value={origin}
                    placeholder="https://shop.example"
                    onInput={(e) => setOrigin(i, e.currentTarget.value)}
                  />
                )}
              </Field>
              <button
                type="button"
                aria-label={t.removeOrigin(origin)}
                onClick={() => setOrigins(origins.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setOrigins([...origins, ''])}>
            {t.addOrigin}
          </button>
        </fieldset>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
        <Outcome error={error} fields={['name', 'origins']} done={done}>
          {t.saved}
        </Outcome>
      </form>
    </Section>
  );
}
