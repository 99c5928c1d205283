// English texts of the dashboard.
import type { Messages } from './index.ts';

export const en: Messages = {
  productName: 'Fideliza',
  tagline: 'Customers, behaviour and support in one place',
  status: {
    checking: 'Checking the server…',
    ready: 'Server ready',
    unavailable: 'Server unavailable',
  },
};
