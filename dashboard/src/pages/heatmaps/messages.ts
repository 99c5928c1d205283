// Texts of the heatmaps area.
import { formatNumber } from '../../i18n/format.ts';
import type { Translations } from '../../i18n/index.ts';
import type { Device, Layer } from './view.ts';

/** `n` and the word for one or for several. */
const count = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

const en = {
  title: 'Heatmaps',
  pages: 'Pages',
  pagesHint: 'By clicks in the period, all devices together.',
  noPages: 'No clicks or scrolls were recorded in this period. Pick a longer range, or check the tracking snippet.',
  pageFigures: (clicks: number, views: number) =>
    `${count(clicks, 'click', 'clicks')} · ${count(views, 'view', 'views')}`,
  device: 'Device',
  devices: { mobile: 'Mobile', tablet: 'Tablet', desktop: 'Desktop' } satisfies Record<Device, string>,
  deviceWidth: (device: string, px: number) => `${device}, drawn ${px} px wide`,
  layer: 'Show',
  layers: { clicks: 'Clicks', rage: 'Rage clicks' } satisfies Record<Layer, string>,
  mapTitle: 'Click heatmap',
  mapSummary: (clicks: number, rage: number) =>
    `${count(clicks, 'click', 'clicks')}, ${count(rage, 'rage click', 'rage clicks')}`,
  mapLabel: (path: string, device: string, layer: string, total: string) =>
    `${layer} heatmap of ${path} on ${device}: ${total} in all. The tables below list the same clicks by element.`,
  mapRegion: 'Heatmap over the page (scrolls)',
  frameTitle: (path: string) => `Layout of ${path} (not interactive)`,
  noClicks: (device: string) => `No clicks on this page on ${device.toLowerCase()} in this period.`,
  noRage: 'No rage clicks on this page in this period.',
  layoutForeign: (origin: string) =>
    `The page is on ${origin}, another origin than this dashboard: browsers do not let the dashboard show its layout, so the heat is drawn on a plain background. Open it on the live page to see it over the real layout.`,
  layoutFrame:
    'The page is shown here without its scripts, so nothing of yours is recorded; parts its scripts draw are missing. The live page shows them.',
  layoutNone: 'This site has no allowed origin, so the page cannot be shown behind the heat.',
  layoutUnknown: 'The site’s origins could not be read, so the heat is drawn on a plain background.',
  legend: 'Colour scale',
  legendLow: 'Fewer',
  legendHigh: (max: string) => `More (up to ${max} in one spot)`,
  topElements: 'Top clicked elements',
  rageClicks: 'Rage clicks',
  rageHint: 'Three or more quick clicks in the same spot: often something that looks clickable and is not.',
  element: 'Element',
  clicks: 'Clicks',
  rage: 'Rage clicks',
  share: 'Share',
  scroll: 'Scroll depth',
  scrollCaption: (views: string) => `Share of ${views} page views that reach each depth`,
  scrollSummary: (half: string, bottom: string) =>
    `Half of the views reach ${half} of the page; ${bottom} reach the end.`,
  noScroll: 'No page views reported a scroll depth on this page in this period.',
  depth: (percent: number) => `${percent} %`,
  openLive: 'Open on the live page',
  openingLive: 'Opening…',
  liveHint: 'Opens the page in a new tab with this heatmap drawn over it, for the width of that window.',
  liveOpened: (time: string) => `Opened in a new tab. Its link works until ${time}.`,
  liveNoOrigin: 'Add the shop’s origin in Settings to open the heatmap on the live page.',
  liveBlocked: 'The browser blocked the new tab. Allow pop-ups for this dashboard and try again.',
};

export const messages: Translations<typeof en> = {
  en,
  es: {
    title: 'Mapas de calor',
    pages: 'Páginas',
    pagesHint: 'Por clics en el periodo, todos los dispositivos juntos.',
    noPages:
      'No se registraron clics ni desplazamientos en este periodo. Elige un periodo más largo o revisa el código de seguimiento.',
    pageFigures: (clicks: number, views: number) =>
      `${count(clicks, 'clic', 'clics')} · ${count(views, 'visita', 'visitas')}`,
    device: 'Dispositivo',
    devices: { mobile: 'Móvil', tablet: 'Tableta', desktop: 'Escritorio' },
    deviceWidth: (device: string, px: number) => `${device}, dibujado a ${px} px de ancho`,
    layer: 'Mostrar',
    layers: { clicks: 'Clics', rage: 'Clics de frustración' },
    mapTitle: 'Mapa de clics',
    mapSummary: (clicks: number, rage: number) =>
      `${count(clicks, 'clic', 'clics')}, ${count(rage, 'clic de frustración', 'clics de frustración')}`,
    mapLabel: (path: string, device: string, layer: string, total: string) =>
      `Mapa de calor de ${layer.toLowerCase()} en ${path} (${device}): ${total} en total. Las tablas de abajo listan los mismos clics por elemento.`,
    mapRegion: 'Mapa de calor sobre la página (se desplaza)',
    frameTitle: (path: string) => `Diseño de ${path} (no interactivo)`,
    noClicks: (device: string) => `No hay clics en esta página en ${device.toLowerCase()} en este periodo.`,
    noRage: 'No hay clics de frustración en esta página en este periodo.',
    layoutForeign: (origin: string) =>
      `La página está en ${origin}, un origen distinto del de este panel: el navegador no deja mostrar su diseño aquí, así que el calor se dibuja sobre un fondo neutro. Ábrela en la página real para verlo sobre su diseño.`,
    layoutFrame:
      'Aquí la página se muestra sin sus scripts, así que no se registra nada tuyo; faltan las partes que dibujan sus scripts. La página real sí las muestra.',
    layoutNone: 'Este sitio no tiene ningún origen permitido, así que no se puede mostrar la página bajo el calor.',
    layoutUnknown: 'No se pudieron leer los orígenes del sitio, así que el calor se dibuja sobre un fondo neutro.',
    legend: 'Escala de color',
    legendLow: 'Menos',
    legendHigh: (max: string) => `Más (hasta ${max} en un punto)`,
    topElements: 'Elementos más pulsados',
    rageClicks: 'Clics de frustración',
    rageHint: 'Tres o más clics rápidos en el mismo punto: suele ser algo que parece pulsable y no lo es.',
    element: 'Elemento',
    clicks: 'Clics',
    rage: 'Frustración',
    share: 'Cuota',
    scroll: 'Profundidad de desplazamiento',
    scrollCaption: (views: string) => `Parte de ${views} visitas que llega a cada profundidad`,
    scrollSummary: (half: string, bottom: string) =>
      `La mitad de las visitas llega al ${half} de la página; el ${bottom} llega al final.`,
    noScroll: 'Ninguna visita informó de su desplazamiento en esta página en este periodo.',
    depth: (percent: number) => `${percent} %`,
    openLive: 'Abrir en la página real',
    openingLive: 'Abriendo…',
    liveHint: 'Abre la página en una pestaña nueva con este mapa dibujado encima, para el ancho de esa ventana.',
    liveOpened: (time: string) => `Abierta en una pestaña nueva. Su enlace caduca el ${time}.`,
    liveNoOrigin: 'Añade el origen de la tienda en Ajustes para abrir el mapa en la página real.',
    liveBlocked:
      'El navegador bloqueó la pestaña nueva. Permite ventanas emergentes para este panel y vuelve a intentarlo.',
  },
};
