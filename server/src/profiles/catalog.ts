// The catalogue import: products as a JSON array or CSV with a header line, checked row by row and upserted.
// Imported products are authoritative: they overwrite what product events filled in, and survive a rebuild.
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';

export const MAX_CATALOG_ROWS = 50_000;
const AMOUNT = /^\d{1,15}(\.\d{1,6})?$/;

/** A price as an exact decimal string: a JSON number only when it has at most 15 significant digits
 * (those survive the trip through a double unchanged), or a decimal string as written. */
const price = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = typeof v === 'number' ? String(v) : v.trim();
  const digits = s.replace(/^[0.]+/, '').replace('.', '').length;
  if (!AMOUNT.test(s) || (typeof v === 'number' && digits > 15)) {
    ctx.addIssue({ code: 'custom', message: 'a non-negative decimal like 19.99' });
    return z.NEVER;
  }
  return s;
});

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const catalogRowSchema = z.object({
  product_id: z.coerce.string().trim().min(1, 'required').max(200),
  sku: optionalText(200),
  name: optionalText(500),
  price: z.preprocess((v) => (v === '' ? null : v), price.nullish()).transform((v) => v ?? null),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code like EUR')
    .transform((v) => v.toUpperCase())
    .or(z.literal('').transform(() => null))
    .nullish()
    .transform((v) => v ?? null),
  category: optionalText(500),
  brand: optionalText(500),
  url: optionalText(2000),
  image_url: optionalText(2000),
});

export type CatalogRow = z.output<typeof catalogRowSchema>;

export interface RowError {
  /** 1-based: the array index + 1, or the CSV data line (the header is line 1, so data starts at 2). */
  row: number;
  field: string | undefined;
  message: string;
}

export class CatalogFormatError extends Error {}

/** RFC 4180 CSV: quoted fields with "" for a quote, commas and newlines inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new CatalogFormatError('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** The body's rows as objects, keyed by the CSV header or taken from the JSON array. */
export function catalogRecords(body: string, format: 'json' | 'csv'): { records: unknown[]; firstRow: number } {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw new CatalogFormatError(`body is not valid JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { products?: unknown } | null)?.products;
    if (!Array.isArray(list)) throw new CatalogFormatError('expected a JSON array of products');
    return { records: list, firstRow: 1 };
  }
  const [header, ...lines] = parseCsv(body);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  if (!names.includes('product_id')) throw new CatalogFormatError('the CSV header line must name a product_id column');
  const records = lines.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])));
  return { records, firstRow: 2 };
}

export function checkRows(records: unknown[], firstRow: number): { rows: CatalogRow[]; rejected: RowError[] } {
  if (records.length > MAX_CATALOG_ROWS) {
    throw new CatalogFormatError(`at most ${MAX_CATALOG_ROWS} products per import; split the file`);
  }
  const byId = new Map<string, CatalogRow>();
  const rejected: RowError[] = [];
  records.forEach((record, i) => {
    const parsed = catalogRowSchema.safeParse(record);
    if (parsed.success) byId.set(parsed.data.product_id, parsed.data);
    else {
      const issue = parsed.error.issues[0];
      rejected.push({
        row: i + firstRow,
        field: issue?.path.length ? issue.path.join('.') : undefined,
        message: issue?.message ?? 'invalid row',
      });
    }
  });
  // The same product twice in one file: the later row wins.
  return { rows: [...byId.values()], rejected };
}

/** Upserts the rows: given fields overwrite, fields left out keep what is stored. */
export async function importCatalog(db: Kysely<Database>, siteId: string, rows: CatalogRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await sql`
      insert into products (site_id, product_id, sku, name, price, currency, category, brand, url, image_url,
        from_catalog, updated_at)
      select ${siteId}, p.product_id, p.sku, p.name, p.price::numeric, p.currency, p.category, p.brand, p.url,
        p.image_url, true, now()
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as p(product_id text, sku text, name text, price text,
        currency text, category text, brand text, url text, image_url text)
      on conflict (site_id, product_id) do update set
        sku = coalesce(excluded.sku, products.sku), name = coalesce(excluded.name, products.name),
        price = coalesce(excluded.price, products.price), currency = coalesce(excluded.currency, products.currency),
        category = coalesce(excluded.category, products.category), brand = coalesce(excluded.brand, products.brand),
        url = coalesce(excluded.url, products.url), image_url = coalesce(excluded.image_url, products.image_url),
        from_catalog = true, updated_at = now()`.execute(db);
  }
}
