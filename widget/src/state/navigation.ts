// Tells when a single-page shop changes the page without loading a new one (pushState, replaceState, back/forward).
const listeners = new Set<() => void>();
let watching = false;

/** Calls `listener` after each in-page URL change, once the app's own code for it has run; returns how to stop. */
export function onNavigate(listener: () => void): () => void {
  if (!watching) {
    watching = true;
    // On the next task: the app renders (and tracks) the new page right after pushState returns.
    const changed = () =>
      setTimeout(() => {
        for (const l of listeners) l();
      });
    for (const k of ['pushState', 'replaceState'] as const) {
      const original = history[k];
      history[k] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        changed();
        return result;
      };
    }
    addEventListener('popstate', changed);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
