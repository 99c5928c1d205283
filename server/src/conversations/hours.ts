// Business hours: whether a site is open at a moment, in the site's own time zone.
import type { SiteSettings } from '../sites/index.ts';

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** No hours configured means always open (a shop that set nothing should not turn chats away). */
export function isOpen(settings: SiteSettings['conversations'], at: Date = new Date()): boolean {
  if (settings.hours.length === 0) return true;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: settings.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS[part('weekday')];
  const time = `${part('hour')}:${part('minute')}`;
  return settings.hours.some((h) => day !== undefined && h.days.includes(day) && h.from <= time && time < h.to);
}
