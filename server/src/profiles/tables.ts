// Tables owned by the profiles capability: what the projector derives from the event log, and its cursor.
import type { ColumnType, Generated, Selectable } from 'kysely';

/** numeric: read as its exact decimal string, written as a decimal string. */
type Decimal = ColumnType<string, string, string>;

/** Where the projector stands in a site's event log: (xid, seq) of the last projected event, and the writers below it still to be read. */
export interface ProjectorCursorsTable {
  site_id: string;
  /** xid8 as text. */
  last_xid: ColumnType<string, string | undefined, string>;
  last_seq: ColumnType<number, number | undefined, number>;
  /** Writers (xid8 as text) below the cursor that were still running when it passed them. */
  pending: ColumnType<string[], string[] | undefined, string[]>;
  updated_at: Generated<Date>;
}

export interface ProfilesTable {
  site_id: string;
  profile_id: string;
  /** The identified user (from identify/alias), null while anonymous. */
  user_id: string | null;
  first_seen: Date;
  last_seen: Date;
  sessions: Generated<number>;
  page_views: Generated<number>;
  /** Orders in the site's currency that are not fully refunded. */
  orders: Generated<number>;
  /** Net of refunds, in the site's currency. */
  revenue: ColumnType<string, string | undefined, string>;
  average_order_value: ColumnType<string | null, never, never>;
  first_order_at: Date | null;
  last_order_at: Date | null;
}

export type IdentityKind = 'anonymous' | 'user';

export interface IdentitiesTable {
  site_id: string;
  kind: IdentityKind;
  value: string;
  profile_id: string;
  first_seen: Date;
  /** Last activity under this id: sessions are cut at 30 minutes of inactivity per id. */
  last_seen: Date;
}

export interface ProfileTraitsTable {
  site_id: string;
  profile_id: string;
  key: string;
  value: ColumnType<unknown, string | null, string | null>;
  /** Event time of the value: the latest event wins, whatever order events arrive in. */
  updated_at: Date;
}

export interface ProfileMergesTable {
  site_id: string;
  from_profile_id: string;
  into_profile_id: string;
  merged_at: Date;
}

/** A visit: a browser's anonymous id active again after SESSION_GAP_MS (what profiles.sessions counts). */
export interface VisitorSessionsTable {
  site_id: string;
  anonymous_id: string;
  started_at: Date;
  /** The profile the visit belongs to (the survivor after merges). */
  profile_id: string;
  page_views: ColumnType<number, number | undefined, number>;
}

export interface SiteCommerceTable {
  site_id: string;
  currency: string;
}

export interface OrdersTable {
  site_id: string;
  order_id: string;
  profile_id: string;
  message_id: string;
  ordered_at: Date;
  currency: string | null;
  total: Decimal;
  discount: Decimal | null;
  shipping: Decimal | null;
  tax: Decimal | null;
  /** In the site's currency: counted in revenue and order counts. */
  counted: boolean;
  refunded: ColumnType<string, string | undefined, string>;
  status: ColumnType<'completed' | 'partially_refunded' | 'refunded', string | undefined, string>;
}

export interface OrderItemsTable {
  site_id: string;
  order_id: string;
  line: number;
  product_id: string | null;
  sku: string | null;
  name: string | null;
  price: Decimal | null;
  quantity: number;
  category: string | null;
  brand: string | null;
}

export interface OrderRefundsTable {
  site_id: string;
  /** The refund event's message id. */
  refund_id: string;
  order_id: string;
  refunded_at: Date;
  /** null: the whole order. */
  amount: Decimal | null;
}

export interface ProductsTable {
  site_id: string;
  product_id: string;
  sku: string | null;
  name: string | null;
  price: Decimal | null;
  currency: string | null;
  category: string | null;
  brand: string | null;
  url: string | null;
  image_url: string | null;
  /** Imported by the shop (authoritative, kept by rebuild); false: seen only in events. */
  from_catalog: Generated<boolean>;
  updated_at: Generated<Date>;
}

export type Lifecycle = 'prospect' | 'customer' | 'lapsed';
export type RfmSegment =
  | 'champions'
  | 'loyal'
  | 'potential_loyalists'
  | 'new'
  | 'promising'
  | 'need_attention'
  | 'at_risk'
  | 'cant_lose'
  | 'hibernating'
  | 'lost';
export type AbcClass = 'A' | 'B' | 'C';
export type ChurnRisk = 'low' | 'medium' | 'high';

/** One row per profile: what classify.ts derives (segments filter on these columns; see the README's rule tables). */
export interface ProfileClassesTable {
  site_id: string;
  profile_id: string;
  lifecycle: Lifecycle;
  /** 1–5; null for prospects. */
  recency_score: number | null;
  frequency_score: number | null;
  monetary_score: number | null;
  rfm_segment: RfmSegment | null;
  abc_class: AbcClass | null;
  premium: ColumnType<boolean, boolean | undefined, boolean>;
  /** null for prospects, and for customers with fewer than two orders or no gap between them. */
  churn_risk: ChurnRisk | null;
  days_since_last_order: number | null;
  /** When the row's values last changed (rows are rewritten only when something differs). */
  computed_at: Date;
}

/** A profile's classification as read. */
export type ProfileClass = Selectable<ProfileClassesTable>;

/** A GDPR erasure: which profile, when, and how many rows of each kind went. */
export interface ProfileErasuresTable {
  site_id: string;
  profile_id: string;
  erased_at: Date;
  counts: ColumnType<Record<string, number>, string, string>;
}

export interface ProfilesTables {
  projector_cursors: ProjectorCursorsTable;
  profiles: ProfilesTable;
  identities: IdentitiesTable;
  visitor_sessions: VisitorSessionsTable;
  profile_traits: ProfileTraitsTable;
  profile_merges: ProfileMergesTable;
  site_commerce: SiteCommerceTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_refunds: OrderRefundsTable;
  products: ProductsTable;
  profile_classes: ProfileClassesTable;
  profile_erasures: ProfileErasuresTable;
}
