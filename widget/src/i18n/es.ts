// Spanish texts of the widget.
import type { Messages } from './index.ts';

export const es: Messages = {
  launcher: 'Ayuda y contacto',
  panelHeading: '¿En qué podemos ayudarte?',
};
