// English texts of the widget.
import type { Messages } from './index.ts';

export const en: Messages = {
  launcher: 'Help and contact',
  panelHeading: 'How can we help?',
};
