// Complaint photos: images only (recognised by their first bytes, not by what the client claims), size- and count-capped.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const MAX_PHOTOS = 3;

/** The image type of these bytes, or null: JPEG, PNG and WebP only (no SVG: it can carry script). */
export function sniffImage(bytes: Uint8Array): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (bytes.length >= 3 && starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 8 && starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF <size> WEBP
  if (bytes.length >= 12 && starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) {
    return 'image/webp';
  }
  return null;
}

/** Stores a photo on a complaint; the complaint row is locked so concurrent uploads cannot pass the cap. */
export async function addPhoto(
  db: Kysely<Database>,
  siteId: string,
  conversationId: string,
  bytes: Uint8Array,
): Promise<{ photoId: string; contentType: string }> {
  if (bytes.length === 0) throw new AppError(400, 'empty_photo', 'the body must be the image bytes');
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new AppError(413, 'photo_too_large', `a photo may be at most ${MAX_PHOTO_BYTES} bytes`);
  }
  const contentType = sniffImage(bytes);
  if (!contentType) throw new AppError(415, 'not_an_image', 'only JPEG, PNG and WebP images are accepted');
  return db.transaction().execute(async (tx) => {
    const complaint = await tx
      .selectFrom('complaints')
      .select('conversation_id')
      .where('site_id', '=', siteId)
      .where('conversation_id', '=', conversationId)
      .forUpdate()
      .executeTakeFirst();
    if (!complaint) throw new AppError(404, 'not_found', 'no such complaint');
    const { count } = await tx
      .selectFrom('complaint_photos')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('site_id', '=', siteId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_PHOTOS) {
      throw new AppError(409, 'too_many_photos', `a complaint holds at most ${MAX_PHOTOS} photos`);
    }
    const photoId = randomUUID();
    await tx
      .insertInto('complaint_photos')
      .values({ site_id: siteId, photo_id: photoId, conversation_id: conversationId, content_type: contentType, bytes })
      .execute();
    return { photoId, contentType };
  });
}

export async function readPhoto(db: Kysely<Database>, siteId: string, conversationId: string, photoId: string) {
  const row = await db
    .selectFrom('complaint_photos')
    .select(['content_type', 'bytes'])
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .where('photo_id', '=', photoId)
    .executeTakeFirst();
  return row ?? null;
}

/** Photos go back with their sniffed type, never sniffed again by the browser, and never as a document. */
export function photoResponse(photo: { content_type: string; bytes: Uint8Array }): Response {
  return new Response(photo.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      'Content-Type': photo.content_type,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, max-age=3600',
    },
  });
}
