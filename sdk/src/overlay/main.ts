// The heatmap overlay on the live page (dist/heatmap-overlay.js): the SDK imports it only when the URL's fragment
// carries `fideliza-heatmap=<token>` (a link from the dashboard). It trades the token for the page's click grid of
// this window's device class and draws it over the page; a small panel (in a shadow root) says what is shown.
import { type HeatCell, paintHeat, rampGradient } from './heat.ts';

interface Overlay {
  path: string;
  from: string;
  to: string;
  device: string;
  columns: number;
  clicks: number;
  cells: HeatCell[];
}

const es = /^es\b/i.test(navigator.language);
const text = es
  ? {
      title: 'Mapa de calor de Fideliza',
      loading: 'Cargando el mapa de calor…',
      shown: (o: Overlay) =>
        `${o.clicks} clics en ${o.device === 'mobile' ? 'móvil' : o.device === 'tablet' ? 'tableta' : 'escritorio'}, del ${o.from} al ${o.to}.`,
      expired: 'El enlace ha caducado: vuelve a abrirlo desde el panel.',
      failed: 'No se pudo cargar el mapa de calor.',
      hide: 'Ocultar',
      show: 'Mostrar',
      close: 'Cerrar',
      fewer: 'menos',
      more: 'más',
    }
  : {
      title: 'Fideliza heatmap',
      loading: 'Loading the heatmap…',
      shown: (o: Overlay) => `${o.clicks} clicks on ${o.device}, ${o.from} to ${o.to}.`,
      expired: 'This link has expired: open it again from the dashboard.',
      failed: 'The heatmap could not be loaded.',
      hide: 'Hide',
      show: 'Show',
      close: 'Close',
      fewer: 'fewer',
      more: 'more',
    };

/** The device class of a viewport width, as the server files clicks (mobile < 768 px ≤ tablet < 1024 px ≤ desktop). */
export const deviceOf = (width: number) => (width < 768 ? 'mobile' : width < 1024 ? 'tablet' : 'desktop');

const STYLE = `:host{all:initial}div{position:fixed;left:16px;bottom:16px;z-index:2147483647;max-width:min(360px,calc(100vw - 32px));padding:12px 14px;border-radius:8px;background:#1f2328;color:#fff;font:14px/1.4 system-ui,sans-serif;box-shadow:0 4px 16px #0006}strong{display:block;margin-bottom:4px}p{margin:0 0 8px}i{display:inline-block;width:96px;height:10px;margin:0 6px;border-radius:5px;vertical-align:middle}button{margin:8px 8px 0 0;padding:4px 10px;border:1px solid #fff;border-radius:6px;background:none;color:inherit;font:inherit;cursor:pointer}button:focus-visible{outline:2px solid #8ab4f8;outline-offset:2px}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, content = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = content;
  return e;
}

/** Shows the overlay for `token`, asking `host` for the heatmap; returns how to take it all away. */
export function showOverlay(host: string, token: string): () => void {
  const root = document.documentElement;
  const canvas = el('canvas');
  canvas.id = 'fideliza-heatmap-canvas';
  canvas.setAttribute('aria-hidden', 'true');
  canvas.style.cssText = 'position:absolute;left:0;top:0;z-index:2147483646;pointer-events:none;opacity:.85';
  const panelHost = el('div');
  panelHost.id = 'fideliza-heatmap';
  const shadow = panelHost.attachShadow({ mode: 'open' });
  const panel = el('div');
  panel.setAttribute('role', 'region');
  panel.setAttribute('aria-label', text.title);
  const status = el('p', text.loading);
  status.setAttribute('aria-live', 'polite');
  const legend = el('p', text.fewer);
  const ramp = el('i');
  ramp.style.background = rampGradient();
  legend.append(ramp, text.more);
  const toggle = el('button', text.hide);
  const close = el('button', text.close);
  panel.append(el('strong', text.title), status, legend, toggle, close);
  // A constructed sheet, not a <style>: a shop's Content-Security-Policy would block inline styles.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  shadow.adoptedStyleSheets = [sheet];
  shadow.append(panel);
  root.append(canvas, panelHost);

  let shown: Overlay | undefined;
  let device = '';
  const draw = () => {
    if (!shown) return;
    // The page's size now: clicks were filed against the document's width, so the grid follows it.
    canvas.width = root.scrollWidth;
    canvas.height = root.scrollHeight;
    canvas.style.width = `${canvas.width}px`;
    canvas.style.height = `${canvas.height}px`;
    paintHeat(canvas, shown.cells, shown.columns, (c) => c.clicks);
  };
  const load = async () => {
    device = deviceOf(innerWidth);
    try {
      const res = await fetch(`${host}/v1/heatmap-overlay?${new URLSearchParams({ token, device })}`);
      const body = (await res.json()) as Overlay & { error?: { code?: string } };
      if (!res.ok) throw body.error?.code;
      shown = body;
      status.textContent = `${body.path} · ${text.shown(body)}`;
      draw();
    } catch (code) {
      shown = undefined;
      canvas.width = 0;
      status.textContent = code === 'token_expired' ? text.expired : text.failed;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resized = () => {
    clearTimeout(timer);
    timer = setTimeout(() => (deviceOf(innerWidth) === device ? draw() : load()), 200);
  };

  toggle.onclick = () => {
    const hidden = canvas.style.display === 'none';
    canvas.style.display = hidden ? '' : 'none';
    toggle.textContent = hidden ? text.hide : text.show;
  };
  const remove = () => {
    removeEventListener('resize', resized);
    clearTimeout(timer);
    canvas.remove();
    panelHost.remove();
  };
  close.onclick = remove;
  addEventListener('resize', resized);
  void load();
  return remove;
}

const token = /fideliza-heatmap=([^&]+)/.exec(location.hash)?.[1];
if (token) {
  // Staff looking at a heatmap are not visitors: the script tag's client stops recording this page view (and
  // forgets what it kept in this browser). A page view sent before the overlay loaded stays recorded.
  (window as { fideliza?: { consent?(state: 'denied'): void } }).fideliza?.consent?.('denied');
  showOverlay(import.meta.url.replace(/\/[^/]*$/, ''), decodeURIComponent(token));
}
