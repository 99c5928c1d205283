// The builder's compact form controls: a small visible label above each control, tied to it by id.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/** A labelled control: `children` renders the control with the id its label points at. */
export function Control({
  label,
  children,
  wide,
}: {
  label: string;
  children: (id: string) => ComponentChildren;
  wide?: boolean;
}) {
  const id = useId();
  return (
    <div class={wide ? 'ctl ctl-wide' : 'ctl'}>
      <label for={id}>{label}</label>
      {children(id)}
    </div>
  );
}

export function Choice<T extends string | number>({
  label,
  value,
  options,
  text,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly T[];
  text: (option: T) => string;
  onChange: (value: T) => void;
}) {
  return (
    <Control label={label}>
      {(id) => (
        <select
          id={id}
          value={String(value)}
          onChange={(e) => {
            const picked = options.find((o) => String(o) === e.currentTarget.value);
            if (picked !== undefined) onChange(picked);
          }}
        >
          {options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {text(o)}
            </option>
          ))}
        </select>
      )}
    </Control>
  );
}

export function TextInput({
  label,
  value,
  onInput,
  list,
  type = 'text',
  wide,
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  list?: string;
  type?: 'text' | 'number' | 'date';
  wide?: boolean;
}) {
  return (
    <Control label={label} wide={wide}>
      {(id) => <input id={id} type={type} value={value} list={list} onInput={(e) => onInput(e.currentTarget.value)} />}
    </Control>
  );
}
