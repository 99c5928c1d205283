// Product names for the dashboard's tables, from the catalogue (imported, or filled in from product events).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

/** The known names of these products (an unknown or unnamed product is left out). */
export async function productNames(
  db: Kysely<Database>,
  siteId: string,
  ids: Iterable<string>,
): Promise<Record<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return {};
  const rows = await db
    .selectFrom('products')
    .select(['product_id', 'name'])
    .where('site_id', '=', siteId)
    .where('product_id', 'in', wanted)
    .where('name', 'is not', null)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.product_id, r.name as string]));
}
