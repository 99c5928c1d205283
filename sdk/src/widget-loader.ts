// The widget hook: once the page has loaded and the browser is idle, ask the server whether this site has the
// widget on, and only then import its bundle (which never counts against the SDK's size).

/** What `GET /v1/config` answers (only what the SDK reads). */
export interface SiteConfig {
  widget: { enabled: boolean };
}

/** What the widget module exports; `mount` receives the host, the write key and the SDK client. */
export interface WidgetModule {
  mount(options: { host: string; writeKey: string; client: object }): unknown;
}

export function loadWidget(host: string, writeKey: string, client: object, log: (...what: unknown[]) => void): void {
  const go = async () => {
    try {
      // Write keys are URL-safe ([a-z0-9_]); a config without `widget` throws here and ends in the catch.
      const config = (await (await fetch(`${host}/v1/config?writeKey=${writeKey}`)).json()) as SiteConfig;
      if (config.widget.enabled) {
        const widget = (await import(/* webpackIgnore: true */ /* @vite-ignore */ `${host}/widget.js`)) as WidgetModule;
        widget.mount({ host, writeKey, client });
      }
    } catch (error) {
      log(error);
    }
  };
  const idle = () => (self.requestIdleCallback || setTimeout)(go);
  document.readyState === 'complete' ? idle() : addEventListener('load', idle);
}
