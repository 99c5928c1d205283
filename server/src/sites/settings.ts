// A site's settings: what the SDK and widget need to know about the shop (validated in and out).
import { z } from 'zod';

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
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** Stored settings that no longer validate (edited by hand, older shape) fall back to the defaults. */
export function readSettings(stored: unknown): SiteSettings {
  const parsed = siteSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : siteSettingsSchema.parse({});
}
