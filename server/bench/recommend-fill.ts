// Recommendation data at scale, all set-based in SQL: a catalogue, profiles with one anonymous id each, orders over
// products in co-purchase families (most lines from one family, some from the long tail; 2 % fully refunded) and
// product views.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/db/index.ts';

export interface RecommendData {
  orders: number;
  products: number;
  profiles: number;
  views: number;
  /** Products per co-purchase family. */
  family: number;
}

/** Product `P00042` for 42; visitor `a7` holds profile `p7`. */
export async function fillRecommendData(k: Kysely<Database>, s: string, d: RecommendData): Promise<void> {
  const families = Math.max(1, Math.floor(d.products / d.family));
  await sql`select setseed(0.42)`.execute(k);
  const product = (n: ReturnType<typeof sql>) => sql`'P' || lpad((${n})::text, 5, '0')`;
  await sql`
    insert into products (site_id, product_id, name, price, currency, url, image_url)
    select ${s}, ${product(sql`g`)}, 'Producto ' || g, (5 + g % 95)::numeric, 'EUR',
      'https://tienda.example/p/' || g, 'https://tienda.example/img/' || g || '.jpg'
    from generate_series(0, ${d.products - 1}) g`.execute(k);
  await sql`
    insert into profiles (site_id, profile_id, first_seen, last_seen)
    select ${s}, 'p' || g, now() - interval '1 year', now() from generate_series(0, ${d.profiles - 1}) g`.execute(k);
  await sql`
    insert into identities (site_id, kind, value, profile_id, first_seen, last_seen)
    select ${s}, 'anonymous', 'a' || g, 'p' || g, now() - interval '1 year', now()
    from generate_series(0, ${d.profiles - 1}) g`.execute(k);
  await sql`
    insert into orders (site_id, order_id, profile_id, message_id, ordered_at, currency, total, counted, status)
    select ${s}, 'o' || g, 'p' || (g % ${d.profiles}), 'm' || g, now() - make_interval(secs => g * 60), 'EUR', 50, true,
      case when g % 50 = 0 then 'refunded' else 'completed' end
    from generate_series(1, ${d.orders}) g`.execute(k);
  // A basket: 1–4 lines, each from the order's family (skewed to popular families) 80 % of the time, else the tail.
  await sql`
    insert into order_items (site_id, order_id, line, product_id, price, quantity)
    select ${s}, 'o' || o.g, x.l, ${product(sql`x.p`)}, 10, 1
    from (select g, floor(power(random(), 2) * ${families})::int as fam, 1 + floor(random() * 4)::int as n
          from generate_series(1, ${d.orders}) g) o
    cross join lateral (
      select l, case when random() < 0.8 then o.fam * ${d.family} + floor(random() * ${d.family})::int
                     else floor(power(random(), 2) * ${d.products})::int end as p
      from generate_series(1, o.n) l) x`.execute(k);
  await sql`
    insert into product_views (site_id, kind, value, day, product_id)
    select ${s}, 'anonymous', 'a' || floor(random() * ${d.profiles})::int, current_date - floor(random() * 90)::int,
      ${product(sql`floor(power(random(), 2) * ${d.products})::int`)}
    from generate_series(1, ${d.views}) g
    on conflict do nothing`.execute(k);
  await sql`analyze`.execute(k);
}
