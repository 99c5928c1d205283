// Synthetic knowledge for segment benchmarks, set-based with generate_series rather than through the projector:
// P profiles (40 % identified, 30 % customers), their traits, identities and classes, and E events over 90 days
// (pages, product views, orders with totals).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/db/index.ts';

export async function fillSegmentData(
  db: Kysely<Database>,
  site: string,
  { profiles, events }: { profiles: number; events: number },
): Promise<void> {
  await sql`select setseed(0.42)`.execute(db);
  // Profile g: identified when g % 5 < 2, a customer when g % 10 < 3 (orders 1–10, recent orders for low g).
  await sql`
    insert into profiles (site_id, profile_id, user_id, first_seen, last_seen, sessions, page_views, orders, revenue,
      first_order_at, last_order_at)
    select ${site}, 'p_' || lpad(g::text, 7, '0'), case when g % 5 < 2 then 'u' || g end,
      now() - interval '400 days' + (g % 300) * interval '1 day', now() - (g % 90) * interval '1 day',
      1 + g % 20, 1 + g % 60, o, o * (20 + (g % 97) * 3),
      case when o > 0 then now() - interval '300 days' end,
      case when o > 0 then now() - (g % 120) * interval '1 day' end
    from generate_series(1, ${profiles}::int) g, lateral (select case when g % 10 < 3 then 1 + g % 10 else 0 end as o) x`.execute(
    db,
  );
  await sql`
    insert into identities (site_id, kind, value, profile_id, first_seen, last_seen)
    select ${site}, 'anonymous', 'a' || g, 'p_' || lpad(g::text, 7, '0'), now(), now() from generate_series(1, ${profiles}::int) g
    union all
    select ${site}, 'user', 'u' || g, 'p_' || lpad(g::text, 7, '0'), now(), now()
    from generate_series(1, ${profiles}::int) g where g % 5 < 2`.execute(db);
  await sql`
    insert into profile_traits (site_id, profile_id, key, value, updated_at)
    select ${site}, 'p_' || lpad(g::text, 7, '0'), k.key, k.value, now()
    from generate_series(1, ${profiles}::int) g
    cross join lateral (values
      ('email', to_jsonb('user' || g || case g % 3 when 0 then '@gmail.com' when 1 then '@hotmail.es' else '@shop.es' end)),
      ('name', to_jsonb('Person ' || g)),
      ('plan', to_jsonb((array['gold', 'silver', 'bronze'])[1 + g % 3])),
      ('age', to_jsonb(18 + g % 60))
    ) k(key, value)
    where g % 5 < 2`.execute(db);
  await sql`
    insert into profile_classes (site_id, profile_id, lifecycle, recency_score, frequency_score, monetary_score,
      rfm_segment, abc_class, premium, churn_risk, days_since_last_order, computed_at)
    select ${site}, 'p_' || lpad(g::text, 7, '0'),
      case when g % 10 >= 3 then 'prospect' when g % 120 < 90 then 'customer' else 'lapsed' end,
      s.r, s.f, s.m,
      case when g % 10 < 3 then (array['champions', 'loyal', 'potential_loyalists', 'new', 'promising', 'need_attention',
        'at_risk', 'cant_lose', 'hibernating', 'lost'])[1 + (g / 10) % 10] end,
      case when g % 10 < 3 then (array['A', 'B', 'C'])[1 + g % 3] end,
      g % 20 = 0, case when g % 10 < 3 then (array['low', 'medium', 'high'])[1 + g % 3] end,
      case when g % 10 < 3 then g % 120 end, now()
    from generate_series(1, ${profiles}::int) g,
      lateral (select case when g % 10 < 3 then 1 + g % 5 end as r, case when g % 10 < 3 then 1 + (g / 7) % 5 end as f,
        case when g % 10 < 3 then 1 + (g / 3) % 5 end as m) s`.execute(db);
  // Events: 70 % page views over 200 paths, 22 % product views, 8 % orders (by customers), over 90 days,
  // by anonymous id, with the user id too for identified profiles.
  await sql`
    insert into events (site_id, message_id, type, event, anonymous_id, user_id, "timestamp", received_at, url_path, properties)
    select ${site}, 'm' || n, case when r < 0.70 then 'page' else 'track' end,
      case when r < 0.70 then null when r < 0.92 then 'Product Viewed' else 'Order Completed' end,
      'a' || p, case when p % 5 < 2 then 'u' || p end, ts, ts,
      case when r < 0.70 then (array['/products/', '/blog/', '/cart/', '/'])[1 + n % 4] || (n % 50) end,
      case when r >= 0.92 then jsonb_build_object('order_id', 'o' || n, 'total', 10 + (n % 300))
           when r >= 0.70 then jsonb_build_object('product_id', 'sku' || (n % 500)) end
    from (
      select n, random() as r, random() as r2, now() - random() * interval '90 days' as ts
      from generate_series(1, ${events}::int) n
    ) x,
    -- Orders come from customers (p % 10 < 3), everything else from anyone.
    lateral (select case when r >= 0.92 then 10 * (1 + floor(r2 * (${profiles}::int / 10 - 1))::int) + n % 3
      else 1 + floor(r2 * ${profiles}::int)::int end as p) pp`.execute(db);
  // What autovacuum does to freshly written tables in time: statistics, and the visibility map index-only scans need.
  await sql`vacuum analyze`.execute(db);
}
