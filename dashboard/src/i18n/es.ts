// Spanish texts of the dashboard.
import type { Messages } from './index.ts';

export const es: Messages = {
  productName: 'Fideliza',
  tagline: 'Clientes, comportamiento y atención en un solo lugar',
  status: {
    checking: 'Comprobando el servidor…',
    ready: 'Servidor listo',
    unavailable: 'Servidor no disponible',
  },
};
