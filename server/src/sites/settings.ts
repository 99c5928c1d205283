// A site's settings: what the SDK and widget need to know about the shop (validated in and out).
import { z } from 'zod';

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const siteSettingsSchema = z.object({
  widget: z
    .object({
      enabled: z.boolean().default(false),
      /** Brand colour of the launcher and buttons. */
      color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a73e8')
        .default('#1f6feb'),
      position: z.enum(['right', 'left']).default('right'),
    })
    .prefault({}),
  /** Chat and identity rules for the widget's conversations (read by the server only). */
  conversations: z
    .object({
      /** When on, a userId without the shop's valid HMAC gets 401 instead of an anonymous session. */
      requireUserHash: z.boolean().default(false),
      /** IANA zone the business hours are in. */
      timezone: z.string().refine(isTimeZone, 'an IANA time zone like Europe/Madrid').default('UTC'),
      /** Opening hours; none means always open. Days 0 = Sunday … 6 = Saturday; `to` is exclusive. */
      hours: z
        .array(
          z
            .object({
              days: z.array(z.number().int().min(0).max(6)).min(1),
              from: z.string().regex(HH_MM, 'a time like 09:00'),
              to: z.string().regex(HH_MM, 'a time like 18:00 (24:00 for midnight)'),
            })
            .refine((h) => h.from < h.to, 'from must be before to (split ranges that cross midnight)'),
        )
        .max(50)
        .default([]),
      /** Shown in the widget while closed. */
      awayMessage: z.string().max(1000).default(''),
    })
    .prefault({}),
  /** Thresholds of the customer classification (profiles/classify.ts). */
  knowledge: z
    .object({
      /** A customer whose last order is more than this many days old is lapsed. */
      lapsedAfterDays: z.number().int().min(1).max(3650).default(180),
      /** Net revenue (site currency, exact decimal) from which a customer is premium; absent: nobody is. */
      premiumSpend: z
        .string()
        .regex(/^\d{1,15}(\.\d{1,6})?$/, 'a decimal amount like 500 or 499.90')
        .optional(),
    })
    .prefault({}),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** Stored settings that no longer validate (edited by hand, older shape) fall back to the defaults. */
export function readSettings(stored: unknown): SiteSettings {
  const parsed = siteSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : siteSettingsSchema.parse({});
}
