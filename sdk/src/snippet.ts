// The script-tag entry (`<script async src=".../sdk.js" data-key="WRITE_KEY">`): options from the tag's data-
// attributes, host from its src; replays the calls the stub queued, in order, then becomes window.fideliza.
import { type Client, createClient, type Options } from './index.ts';

type Call = [string, ...unknown[]];
type Api = Client & { push(call: Call): void };

try {
  const w = window as unknown as { fideliza?: Call[] | Api };
  const queued = w.fideliza;
  const tag = document.currentScript as HTMLScriptElement;
  // A second copy of the script leaves the first one in charge.
  if (!(queued as Api | undefined)?.getAnonymousId) {
    // data-* attributes are the options as strings (data-auto-click="false" → autoClick: 'false', see `off`).
    const data = tag.dataset;
    const client = createClient({
      ...(data as unknown as Options),
      writeKey: data.key!,
      host: data.host || tag.src.replace(/\/[^/]*$/, ''),
    });
    const api: Api = {
      ...client,
      push: (call) => {
        try {
          (client as unknown as Record<string, (...args: unknown[]) => unknown>)[call[0]]?.(...call.slice(1));
        } catch {
          // An unknown method name: ignored, as every bad call is.
        }
      },
    };
    w.fideliza = api;
    (queued as Call[] | undefined)?.forEach?.(api.push);
  }
} catch {
  // Nothing reaches the host page.
}
