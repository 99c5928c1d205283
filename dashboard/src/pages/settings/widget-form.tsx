// The widget's look (on/off, brand colour, side) with a live preview, and the chat's hours and away message.
import { useState } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { Field } from '../../ui/field.tsx';
import { errorFor } from './errors.ts';
import { messages } from './messages.ts';
import { Outcome, Section } from './parts.tsx';
import type { Settings, SiteUpdate } from './types.ts';
import { useAction } from './use-action.ts';

type Widget = Settings['widget'];
type Hours = Settings['conversations']['hours'][number];

const HEX = /^#[0-9a-fA-F]{6}$/;

/** The launcher as the shop will show it: a round button in the chosen colour and corner. */
function Preview({ widget }: { widget: Widget }) {
  const t = useMessages(messages);
  const color = HEX.test(widget.color) ? widget.color : '#ffffff';
  return (
    <figure class="widget-preview">
      <figcaption>{t.preview}</figcaption>
      <div
        class={`preview-page preview-${widget.position}${widget.enabled ? '' : ' preview-off'}`}
        role="img"
        aria-label={t.previewLabel(widget.color, t.positions[widget.position])}
      >
        <span class="preview-launcher" style={{ background: color }} data-testid="widget-swatch" />
      </div>
      {!widget.enabled && <p class="hint">{t.widgetOff}</p>}
    </figure>
  );
}

function HoursRow({
  n,
  hours,
  error,
  onChange,
  onRemove,
}: {
  n: number;
  hours: Hours;
  error?: string;
  onChange: (h: Hours) => void;
  onRemove: () => void;
}) {
  const t = useMessages(messages);
  const toggle = (day: number, on: boolean) =>
    onChange({ ...hours, days: on ? [...hours.days, day].sort((a, b) => a - b) : hours.days.filter((d) => d !== day) });
  return (
    <fieldset class={`hours-row${error ? ' field-error' : ''}`}>
      <legend>{t.hoursRow(n)}</legend>
      <fieldset class="days">
        <legend class="visually-hidden">{t.days}</legend>
        {t.dayNames.map((name, day) => (
          <label key={name}>
            <input
              type="checkbox"
              checked={hours.days.includes(day)}
              onChange={(e) => toggle(day, e.currentTarget.checked)}
            />{' '}
            {name}
          </label>
        ))}
      </fieldset>
      <div class="row">
        <Field label={t.from}>
          {(ids) => (
            <input
              {...ids}
              value={hours.from}
              placeholder="09:00"
              size={6}
              onInput={(e) => onChange({ ...hours, from: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label={t.to}>
          {(ids) => (
            <input
              {...ids}
              value={hours.to}
              placeholder="18:00"
              size={6}
              onInput={(e) => onChange({ ...hours, to: e.currentTarget.value })}
            />
          )}
        </Field>
        <button type="button" onClick={onRemove}>
          {t.removeHours(n)}
        </button>
      </div>
      {error && <p class="error-text">{error}</p>}
    </fieldset>
  );
}

export function WidgetForm({
  settings,
  editable,
  save,
}: {
  settings: Settings;
  editable: boolean;
  save: (patch: Partial<SiteUpdate>) => Promise<void>;
}) {
  const t = useMessages(messages);
  const [widget, setWidget] = useState<Widget>(settings.widget);
  const [chat, setChat] = useState(settings.conversations);
  const { busy, error, done, run } = useAction();

  if (!editable) {
    return (
      <Section id="settings-widget" title={t.widget}>
        <dl class="facts">
          <dt>{t.widgetEnabled}</dt>
          <dd>{settings.widget.enabled ? t.yes : t.no}</dd>
          <dt>{t.color}</dt>
          <dd>{settings.widget.color}</dd>
          <dt>{t.position}</dt>
          <dd>{t.positions[settings.widget.position]}</dd>
        </dl>
        <Preview widget={settings.widget} />
      </Section>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    await run(() => save({ settings: { ...settings, widget, conversations: chat } }));
  };
  const setHours = (i: number, h: Hours | null) =>
    setChat({
      ...chat,
      hours: h ? chat.hours.map((x, j) => (j === i ? h : x)) : chat.hours.filter((_, j) => j !== i),
    });

  return (
    <Section id="settings-widget" title={t.widget}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="widget-grid">
          <div>
            <label class="check">
              <input
                type="checkbox"
                name="enabled"
                checked={widget.enabled}
                onChange={(e) => setWidget({ ...widget, enabled: e.currentTarget.checked })}
              />{' '}
              {t.widgetEnabled}
            </label>
            <Field label={t.color} hint={t.colorHint} error={errorFor(error, 'settings.widget.color')}>
              {(ids) => (
                <span class="color-pair">
                  <input
                    {...ids}
                    name="color"
                    value={widget.color}
                    maxLength={7}
                    size={8}
                    onInput={(e) => setWidget({ ...widget, color: e.currentTarget.value.trim() })}
                  />
                  <input
                    type="color"
                    aria-label={t.color}
                    tabIndex={-1}
                    value={HEX.test(widget.color) ? widget.color.toLowerCase() : '#000000'}
                    onInput={(e) => setWidget({ ...widget, color: e.currentTarget.value })}
                  />
                </span>
              )}
            </Field>
            <Field label={t.position}>
              {(ids) => (
                <select
                  {...ids}
                  name="position"
                  value={widget.position}
                  onChange={(e) => setWidget({ ...widget, position: e.currentTarget.value as Widget['position'] })}
                >
                  <option value="right">{t.positions.right}</option>
                  <option value="left">{t.positions.left}</option>
                </select>
              )}
            </Field>
          </div>
          <Preview widget={widget} />
        </div>

        <h4>{t.hours}</h4>
        <Field label={t.timezone} hint={t.timezoneHint} error={errorFor(error, 'settings.conversations.timezone')}>
          {(ids) => (
            <input
              {...ids}
              name="timezone"
              value={chat.timezone}
              onInput={(e) => setChat({ ...chat, timezone: e.currentTarget.value.trim() })}
            />
          )}
        </Field>
        <fieldset class="hours">
          <legend>{t.openingHours}</legend>
          {chat.hours.length === 0 && <p class="hint">{t.alwaysOpen}</p>}
          {chat.hours.map((h, i) => (
            <HoursRow
              key={i}
              n={i + 1}
              hours={h}
              error={errorFor(error, `settings.conversations.hours.${i}`)}
              onChange={(next) => setHours(i, next)}
              onRemove={() => setHours(i, null)}
            />
          ))}
          <button
            type="button"
            onClick={() =>
              setChat({ ...chat, hours: [...chat.hours, { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] })
            }
          >
            {t.addHours}
          </button>
        </fieldset>
        <Field label={t.awayMessage} hint={t.awayHint}>
          {(ids) => (
            <textarea
              {...ids}
              name="awayMessage"
              rows={2}
              maxLength={1000}
              value={chat.awayMessage}
              onInput={(e) => setChat({ ...chat, awayMessage: e.currentTarget.value })}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
        <Outcome
          error={error}
          fields={[
            'settings.widget.color',
            'settings.conversations.timezone',
            ...chat.hours.map((_, i) => `settings.conversations.hours.${i}`),
          ]}
          done={done}
        >
          {t.saved}
        </Outcome>
      </form>
    </Section>
  );
}
