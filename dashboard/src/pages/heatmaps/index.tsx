// Heatmaps: the pages with traffic, and for the chosen page and device its click heatmap over the page's layout,
// the most clicked and rage-clicked elements and the scroll-depth curve, for a date range kept in the URL.
import { useId } from 'preact/hooks';
import { call } from '../../api.ts';
import { type PageProps, useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { DateRange } from '../../ui/date-range.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded, Loading } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { ClickMap } from './click-map.tsx';
import { RageClicks, TopElements } from './elements.tsx';
import { type Layout, layoutOf, liveOrigin } from './layout.ts';
import { LiveView } from './live-view.tsx';
import { messages } from './messages.ts';
import { PageList } from './page-list.tsx';
import { ScrollCurve } from './scroll-curve.tsx';
import { DEVICES, type HeatmapView, LAYERS, viewFromQuery, viewHref } from './view.ts';
import './heatmaps.css';

/** Buttons of which one is on (aria-pressed), in a group named by its legend. */
function Choice<T extends string>({
  label,
  options,
  names,
  value,
  onChange,
}: {
  label: string;
  options: readonly T[];
  names: Record<T, string>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset class="heat-choice">
      <legend>{label}</legend>
      <div class="segmented">
        {options.map((o) => (
          <button key={o} type="button" aria-pressed={o === value} onClick={() => onChange(o)}>
            {names[o]}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

function PageDetail({
  view,
  path,
  layout,
  go,
}: {
  view: HeatmapView;
  path: string;
  layout: Layout | undefined;
  go: (change: Partial<HeatmapView>) => void;
}) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const id = useId();
  const { range, device } = view;
  const filter = { path, device, from: range.from, to: range.to };
  const deps = [path, device, range.from, range.to];
  // Tagged with its device: while another device's grid loads, the map keeps drawing this one at its own width.
  const grid = useLoad(
    async () => ({ device, ...(await call(api.api.heatmaps.clicks.$get({ query: filter }))) }),
    deps,
  );
  const top = useLoad(() => call(api.api.heatmaps.selectors.$get({ query: { ...filter, limit: '20' } })), deps);
  const rage = useLoad(
    () => call(api.api.heatmaps.selectors.$get({ query: { ...filter, limit: '20', order: 'rage' } })),
    deps,
  );
  const scroll = useLoad(() => call(api.api.heatmaps.scroll.$get({ query: filter })), deps);

  return (
    <section class="heat-detail" aria-labelledby={id}>
      <div class="heat-toolbar">
        <h3 id={id}>
          <code>{path}</code>
        </h3>
        {/* The page shown is pinned in the URL with the choice, so the link shows this very view. */}
        <Choice
          label={t.device}
          options={DEVICES}
          names={t.devices}
          value={device}
          onChange={(d) => go({ page: path, device: d })}
        />
        <Choice
          label={t.layer}
          options={LAYERS}
          names={t.layers}
          value={view.layer}
          onChange={(l) => go({ page: path, layer: l })}
        />
      </div>
      {layout ? (
        <>
          <LiveView path={path} range={range} origin={liveOrigin(layout)} />
          <Loaded load={grid}>
            {(g) => <ClickMap grid={g} path={path} device={g.device} layer={view.layer} layout={layout} />}
          </Loaded>
        </>
      ) : (
        <Loading />
      )}
      <div class="heat-columns">
        <section class="card">
          <h4>{t.topElements}</h4>
          <Loaded load={top}>{(d) => <TopElements rows={d.selectors} total={grid.data?.clicks ?? 0} />}</Loaded>
        </section>
        <section class="card">
          <h4>{t.rageClicks}</h4>
          <p class="hint">{t.rageHint}</p>
          <Loaded load={rage}>{(d) => <RageClicks rows={d.selectors} />}</Loaded>
        </section>
      </div>
      <section class="card">
        <h4>{t.scroll}</h4>
        <Loaded load={scroll}>{(d) => <ScrollCurve data={d} />}</Loaded>
      </section>
    </section>
  );
}

export default function HeatmapsPage({ query }: PageProps) {
  const t = useMessages(messages);
  const { api, navigate } = useDashboard();
  const view = viewFromQuery(query);
  const go = (change: Partial<HeatmapView>) => navigate(viewHref({ ...view, ...change }), { replace: true });
  const { from, to } = view.range;
  const pages = useLoad(() => call(api.api.heatmaps.pages.$get({ query: { from, to, limit: '50' } })), [from, to]);
  // The site's origins decide whether the page's layout can be framed here; failing to read them is not fatal.
  const site = useLoad(() => call(api.api.site.$get()), []);
  const layout = site.loading ? undefined : layoutOf(site.data?.origins, location.origin);
  const path = view.page ?? pages.data?.pages[0]?.path;

  return (
    <>
      <PageHeader title={t.title}>
        <DateRange value={view.range} onChange={(range) => go({ range })} />
      </PageHeader>
      <div class="heatmaps">
        <Loaded load={pages}>
          {(d) =>
            d.pages.length > 0 ? (
              <PageList pages={d.pages} current={path} hrefOf={(page) => viewHref({ ...view, page })} />
            ) : (
              <Empty>{t.noPages}</Empty>
            )
          }
        </Loaded>
        {path && <PageDetail key={path} view={view} path={path} layout={layout} go={go} />}
      </div>
    </>
  );
}
