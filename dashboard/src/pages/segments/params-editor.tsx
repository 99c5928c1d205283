// The parameters of a rule kind another capability registered, edited from the JSON Schema the server describes
// them with: text, numbers, yes/no and choices get their own control, anything else is edited as JSON.
import { useState } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { Control } from './controls.tsx';
import { messages } from './messages.ts';

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  title?: string;
  description?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The params' properties when the schema is an object of them; null when it is something else. */
export function propertiesOf(schema: Record<string, unknown> | null): [string, PropertySchema][] | null {
  if (schema?.type !== 'object' || !isRecord(schema.properties)) return null;
  return Object.entries(schema.properties).map(([key, p]) => [key, isRecord(p) ? (p as PropertySchema) : {}]);
}

/** JSON typed into a box: kept as text until it parses. */
function JsonBox({ label, value, onChange }: { label: string; value: unknown; onChange: (value: unknown) => void }) {
  const t = useMessages(messages);
  const [text, setText] = useState(() => JSON.stringify(value ?? null));
  const [bad, setBad] = useState(false);
  return (
    <Control label={label} wide>
      {(id) => (
        <>
          <textarea
            id={id}
            aria-describedby={bad ? `${id}-error` : undefined}
            rows={2}
            value={text}
            aria-invalid={bad || undefined}
            onInput={(e) => {
              const next = e.currentTarget.value;
              setText(next);
              try {
                onChange(JSON.parse(next));
                setBad(false);
              } catch {
                setBad(true);
              }
            }}
          />
          {bad && (
            <small id={`${id}-error`} class="error-text">
              {t.paramsInvalid}
            </small>
          )}
        </>
      )}
    </Control>
  );
}

function PropertyControl({
  name,
  schema,
  value,
  onChange,
}: {
  name: string;
  schema: PropertySchema;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const t = useMessages(messages);
  const label = schema.title ?? name;
  if (schema.enum) {
    const options = schema.enum;
    return (
      <Control label={label}>
        {(id) => (
          <select
            id={id}
            value={JSON.stringify(value ?? options[0])}
            onChange={(e) => onChange(JSON.parse(e.currentTarget.value))}
          >
            {options.map((o) => (
              <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
                {String(o)}
              </option>
            ))}
          </select>
        )}
      </Control>
    );
  }
  switch (schema.type) {
    case 'string':
      return (
        <Control label={label}>
          {(id) => (
            <input
              id={id}
              type="text"
              value={typeof value === 'string' ? value : ''}
              onInput={(e) => onChange(e.currentTarget.value)}
            />
          )}
        </Control>
      );
    case 'number':
    case 'integer':
      return (
        <Control label={label}>
          {(id) => (
            <input
              id={id}
              type="number"
              value={typeof value === 'number' ? String(value) : ''}
              onInput={(e) => {
                const text = e.currentTarget.value;
                // An emptied box leaves the param out, so its default (or the server's "required") applies.
                onChange(text === '' ? undefined : Number(text));
              }}
            />
          )}
        </Control>
      );
    case 'boolean':
      return (
        <Control label={label}>
          {(id) => (
            <select
              id={id}
              value={value === true ? 'true' : 'false'}
              onChange={(e) => onChange(e.currentTarget.value === 'true')}
            >
              <option value="true">{t.yes}</option>
              <option value="false">{t.no}</option>
            </select>
          )}
        </Control>
      );
    default:
      return <JsonBox label={label} value={value} onChange={onChange} />;
  }
}

export function ParamsEditor({
  schema,
  params,
  onChange,
}: {
  schema: Record<string, unknown> | null;
  params: Record<string, unknown>;
  onChange: (params: Record<string, unknown>) => void;
}) {
  const t = useMessages(messages);
  const properties = propertiesOf(schema);
  if (!properties) return <JsonBox label={t.params} value={params} onChange={(v) => onChange(isRecord(v) ? v : {})} />;
  return (
    <>
      {properties.map(([key, p]) => (
        <PropertyControl
          key={key}
          name={key}
          schema={p}
          value={params[key]}
          onChange={(value) => {
            const { [key]: _old, ...rest } = params;
            onChange(value === undefined ? rest : { ...rest, [key]: value });
          }}
        />
      ))}
    </>
  );
}
