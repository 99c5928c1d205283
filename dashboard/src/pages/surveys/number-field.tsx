// A labelled number input whose draft keeps the text as typed (the draft checks and converts it on save).
import { Field } from '../../ui/field.tsx';

export function NumberField({
  label,
  hint,
  error,
  min,
  max,
  step,
  value,
  onInput,
}: {
  label: string;
  hint?: string;
  error?: string;
  min: number;
  max: number;
  step?: 'any';
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(ids) => (
        <input
          {...ids}
          type="number"
          min={min}
          max={max}
          step={step}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}
