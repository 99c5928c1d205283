// Texts of the shared components.
import type { Translations } from '../i18n/index.ts';

const en = {
  loading: 'Loading…',
  empty: 'Nothing here yet.',
  retry: 'Try again',
  errorTitle: 'Something went wrong',
  network: 'The server cannot be reached. Check your connection and try again.',
  forbidden: 'Your role does not allow this.',
  next: 'Next page',
  previous: 'Previous page',
  pages: 'Pages',
  from: 'From',
  to: 'To',
  range: 'Date range',
  lastDays: (n: number) => `Last ${n} days`,
  custom: 'Custom',
  progress: 'Progress',
  cancel: 'Cancel',
  chartSummary: (label: string, n: number) => `${label}: ${n} points`,
};

export const messages: Translations<typeof en> = {
  en,
  es: {
    loading: 'Cargando…',
    empty: 'Aún no hay nada aquí.',
    retry: 'Reintentar',
    errorTitle: 'Algo ha fallado',
    network: 'No se puede contactar con el servidor. Comprueba la conexión y vuelve a intentarlo.',
    forbidden: 'Tu rol no permite hacer esto.',
    next: 'Página siguiente',
    previous: 'Página anterior',
    pages: 'Páginas',
    from: 'Desde',
    to: 'Hasta',
    range: 'Periodo',
    lastDays: (n: number) => `Últimos ${n} días`,
    custom: 'Personalizado',
    progress: 'Progreso',
    cancel: 'Cancelar',
    chartSummary: (label: string, n: number) => `${label}: ${n} puntos`,
  },
};
