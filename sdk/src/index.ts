// The npm entry: createClient() joins identity, consent, the outbox, delivery and autocapture into one client.
import { clickListener } from './capture/click.ts';
import { captureScroll, type ScrollDepth } from './capture/scroll.ts';
import { context, type PageInfo, pageInfo } from './context.ts';
import { IIFE } from './flags.ts';
import { uuid } from './ids.ts';
import { type Msg, queue, read, store, storedKeys } from './queue.ts';
import { loadLater } from './widget-loader.ts';

/** `granted` sends; `pending` keeps everything in memory until `consent('granted')`; `denied` drops everything. */
export type Consent = 'granted' | 'pending' | 'denied';

/** Free-form properties or traits (anything JSON can carry). */
export type Properties = Record<string, unknown>;

export interface Options {
  /** The site's public write key. */
  writeKey: string;
  /** The Fideliza server, e.g. `https://fideliza.example.com` (no trailing slash). */
  host: string;
  /** Initial consent state; `granted` by default. A `consent('granted')` is remembered on this browser. */
  consent?: Consent;
  /** Treat a browser sending Do Not Track as `denied` (off by default). */
  respectDoNotTrack?: boolean;
  /** Log failures to the console (nothing is logged otherwise). */
  debug?: boolean;
  /** Page views on load and on every single-page-app navigation (default true). */
  autoPage?: boolean;
  /** `$click` events for heatmaps (default true). */
  autoClick?: boolean;
  /** `$scroll` with the deepest point reached, when a page view ends (default true). */
  autoScroll?: boolean;
  /** Load the widget when the site's settings turn it on (default true). */
  widget?: boolean;
}

/** Who the visitor is, as far as this browser knows (the widget reads it). */
export interface User {
  anonymousId: string;
  userId?: string;
  /** The shop's HMAC of the user id, given to identify(). */
  hmac?: string;
}

/** The tracking API (Segment's call shapes). No call ever throws. */
export interface Client {
  /** Records a page view (done automatically unless `autoPage: false`). */
  page(name?: string, properties?: Properties): void;
  /** Records an event, e.g. `track('Order Completed', { order_id, total, currency, products })`. */
  track(event: string, properties?: Properties): void;
  /** Ties this visitor to your user id; `hmac` (the shop's HMAC of the id) lets the widget trust it. */
  identify(userId: string, traits?: Properties, options?: { hmac?: string }): void;
  /** Records that `newId` is the same person as the current user (or anonymous visitor). */
  alias(newId: string): void;
  /** Forgets the user (on logout): a new anonymous id, no user id. */
  reset(): void;
  /** Sets the visitor's consent; `denied` also erases what this SDK stored. */
  consent(state: Consent): void;
  /** Sends everything waiting now; resolves when the server has answered or a request failed (never rejects). */
  flush(): Promise<void>;
  getAnonymousId(): string;
  getUser(): User;
}

const noop = () => {};

/** An option is off when it is false, or "false" as written in a data- attribute. */
const off = (option: unknown) => `${option}` === 'false';

/** Creates a tracking client. In server-side rendering it returns a client that does nothing. */
export function createClient(o: Options): Client {
  // (The script tag always passes options; an npm caller might not, and must not get an exception for it.)
  if (!IIFE) o ||= {} as Options;
  const log = (...what: unknown[]) => {
    o.debug && console.warn('[fideliza]', ...what);
  };
  // biome-ignore lint/suspicious/noExplicitAny: wraps functions of any signature; the result keeps it.
  const safe = <F extends (...args: any[]) => any>(f: F) =>
    ((...args) => {
      try {
        return f(...args);
      } catch (error) {
        log(error);
      }
    }) as F;

  if (!IIFE && typeof document === 'undefined') {
    return {
      page: noop,
      track: noop,
      identify: noop,
      alias: noop,
      reset: noop,
      consent: noop,
      flush: () => Promise.resolve(),
      getAnonymousId: () => '',
      getUser: () => ({ anonymousId: '' }),
    };
  }

  const prefix = `fz:${o.writeKey}:`;
  const write = (k: string, v?: string) => granted() && store(prefix + k, v);

  let state: Consent = o.respectDoNotTrack && navigator.doNotTrack === '1' ? 'denied' : o.consent || 'granted';
  if (state === 'pending' && read(`${prefix}c`)) state = 'granted';
  const granted = () => state === 'granted';
  let anonymousId = read(`${prefix}a`) || uuid();
  let userId = read(`${prefix}u`) || undefined;
  let hmac: string | undefined;
  let referrer = document.referrer;
  let current: PageInfo | undefined;
  let scroll: ScrollDepth | undefined;

  const box = queue(`${prefix}q`, `${o.host}/v1/batch`, o.writeKey, granted, log);
  /** Writes identity and outbox to storage when consent is granted (memory only otherwise). */
  const keep = () => {
    write('a', anonymousId);
    write('u', userId);
    box._persist(granted());
  };

  /** Builds a message (a deep copy of what the page passed) and queues it, unless consent is denied. */
  const add = (fields: Properties, page?: PageInfo) => {
    if (state === 'denied') return;
    box._add(
      JSON.parse(
        JSON.stringify({
          messageId: uuid(),
          anonymousId,
          userId,
          timestamp: new Date().toISOString(),
          context: context(page || pageInfo(referrer)),
          ...fields,
        }),
      ) as Msg,
    );
  };

  const track = (event: string, properties?: Properties, page?: PageInfo) =>
    add({ type: 'track', event, properties }, page);

  /** The page view in progress ends: report how deep the visitor scrolled, if deeper than reported. */
  const end = (left?: boolean) => {
    const depth = scroll?._end(left);
    depth && track('$scroll', depth, current);
  };

  const client: Client = {
    page: safe((name, properties) => {
      if (current) {
        end(true);
        referrer = current.url;
      }
      scroll?._reset();
      current = pageInfo(referrer);
      add({ type: 'page', name, properties }, current);
    }),
    track: safe(track),
    identify: safe((id, traits, opts) => {
      userId = id;
      hmac = opts?.hmac;
      write('u', userId);
      add({ type: 'identify', traits });
    }),
    alias: safe((newId) => add({ type: 'alias', userId: newId, previousId: userId || anonymousId })),
    reset: safe(() => {
      userId = hmac = undefined;
      anonymousId = uuid();
      keep();
    }),
    consent: safe((next) => {
      state = next;
      write('c', '1');
      keep();
      if (next === 'denied') {
        box._clear();
        for (const k of storedKeys(prefix)) store(k);
      }
    }),
    flush: box._flush,
    getAnonymousId: () => anonymousId,
    getUser: () => ({ anonymousId, userId, hmac }),
  };

  keep();

  // Autocapture starts after the calls made right after creation (or queued by the stub): an identify() or
  // consent() there applies to the first page view.
  setTimeout(
    safe(() => {
      const on = <E extends Event>(type: string, listener: (e: E) => void, capture?: boolean) =>
        addEventListener(type, safe(listener) as EventListener, capture);
      if (!off(o.autoScroll)) scroll = captureScroll();
      if (!off(o.autoPage)) {
        client.page();
        // On the next task, once the app has rendered the new page (its title, mostly).
        const navigated = () => setTimeout(() => current?.url !== location.href && client.page());
        for (const k of ['pushState', 'replaceState'] as const) {
          const original = history[k];
          // (navigated() only schedules a check of the URL, so it may come first.)
          history[k] = function (this: History, ...args: Parameters<History['pushState']>) {
            navigated();
            return original.apply(this, args);
          };
        }
        on('popstate', navigated);
        on('hashchange', navigated);
      }
      if (!off(o.autoClick)) on('click', clickListener(track), true);
      // Hidden (another tab, or the page is going away: unloading hides it before pagehide): the page view may
      // be over. Send now, with keepalive; at pagehide, what is still not in flight goes by beacon.
      const leave = (e: Event) => {
        if (document.hidden) {
          end();
          e.type === 'pagehide' ? box._beacon() : box._flush();
        }
      };
      on('visibilitychange', leave);
      on('pagehide', leave);
      on('online', client.flush);
      loadLater(o.host, o.writeKey, client, log, !off(o.widget));
    }),
  );

  return client;
}
