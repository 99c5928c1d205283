// Segments named in the page's language: a built-in's id says what it is (`builtin:rfm:champions`), so its name
// and description are ours; a saved segment keeps what its author wrote; an unknown built-in keeps the server's.
import type { WireSegment } from '@fideliza/server/protocol';
import { classificationNames } from '../../i18n/classification.ts';
import { useMessages } from '../../i18n/index.ts';
import { messages } from './messages.ts';

export function useSegmentNames(): (s: WireSegment) => { name: string; description: string } {
  const t = useMessages(messages);
  const names = useMessages(classificationNames);
  return (s) => {
    const [, kind, value = ''] = s.builtin ? s.id.split(':') : [];
    switch (kind) {
      case 'rfm':
        return { name: t.builtinRfm(names[value] ?? value), description: t.builtinRfmDescription };
      case 'abc':
        return { name: t.builtinAbc(value), description: t.builtinAbcDescription };
      case 'lifecycle':
        return { name: t.builtinLifecycle[value] ?? s.name, description: t.builtinLifecycleDescription };
      case 'premium':
        return { name: t.builtinPremium, description: t.builtinPremiumDescription };
      default:
        return { name: s.name, description: s.description };
    }
  };
}
