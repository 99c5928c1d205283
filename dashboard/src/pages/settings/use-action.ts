// The state of a settings action (a form's submit, a row's change): busy while it runs, the refusal in words, done.
import { useState } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { type FormError, formError } from './errors.ts';
import { messages } from './messages.ts';

export function useAction() {
  const t = useMessages(messages);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [done, setDone] = useState(false);
  /** Runs `work`; `origins` are the rows an `origins.N` refusal points at. True when it succeeded. */
  const run = async (work: () => Promise<unknown>, origins?: readonly string[]): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await work();
      setDone(true);
      return true;
    } catch (e) {
      setError(formError(e, t, origins));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}
