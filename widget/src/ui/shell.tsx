// The widget's frame: a launcher button that opens and closes the panel where the features will live.
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import type { Messages } from '../i18n/index.ts';

export function Shell({ t }: { t: Messages }) {
  const open = useSignal(false);
  const launcher = useRef<HTMLButtonElement>(null);

  // Escape closes the panel from anywhere inside the widget and gives focus back to the launcher.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open.value) return;
    open.value = false;
    launcher.current?.focus();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: it only catches Escape bubbling up from the controls inside; the div itself is no control.
    <div class="root" onKeyDown={onKeyDown}>
      <section class="panel" id="fz-panel" aria-labelledby="fz-panel-heading" hidden={!open.value}>
        <h2 id="fz-panel-heading">{t.panelHeading}</h2>
      </section>
      <button
        ref={launcher}
        type="button"
        class="launcher"
        aria-label={t.launcher}
        aria-controls="fz-panel"
        aria-expanded={open.value}
        onClick={() => {
          open.value = !open.value;
        }}
      >
        <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          {open.value ? (
            <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
          ) : (
            <path d="M6 3h12a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4V5a2 2 0 0 1 2-2z" fill="currentColor" />
          )}
        </svg>
      </button>
    </div>
  );
}
