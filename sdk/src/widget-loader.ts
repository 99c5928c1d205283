// The optional parts, loaded once the page has loaded and the browser is idle, so they never count against the
// SDK's size: the widget, when the server says this site has it on; the heatmap overlay, when the page was
// opened from the dashboard with a heatmap link (`#fideliza-heatmap=<token>`).

/** What `GET /v1/config` answers (only what the SDK reads). */
export interface SiteConfig {
  widget: { enabled: boolean };
}

/** What the widget module exports; `mount` receives the host, the write key and the SDK client. */
export interface WidgetModule {
  mount(options: { host: string; writeKey: string; client: object }): unknown;
}

export function loadLater(
  host: string,
  writeKey: string,
  client: object,
  log: (...what: unknown[]) => void,
  widget: boolean,
): void {
  const go = async () => {
    try {
      // The overlay reads the token from the fragment itself. (Should it fail to load, the widget stays away too
      // on that staff-only visit: one try block keeps the script tag within its size budget.)
      location.hash.includes('fideliza-heatmap=') &&
        (await import(/* webpackIgnore: true */ /* @vite-ignore */ `${host}/heatmap-overlay.js`));
      // Write keys are URL-safe ([a-z0-9_]); a config without `widget` throws here and ends in the catch.
      if (
        widget &&
        ((await (await fetch(`${host}/v1/config?writeKey=${writeKey}`)).json()) as SiteConfig).widget.enabled
      ) {
        const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ `${host}/widget.js`)) as WidgetModule;
        module.mount({ host, writeKey, client });
      }
    } catch (error) {
      log(error);
    }
  };
  const idle = () => (self.requestIdleCallback || setTimeout)(go);
  document.readyState === 'complete' ? idle() : addEventListener('load', idle);
}
