// The Segment-compatible tracking API: POST /v1/batch and one route per message type.
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { AppError } from '../http/errors.ts';
import {
  batchSchema,
  type IngestResult,
  type MessageType,
  messageTypes,
  type RejectedMessage,
} from '../protocol/index.ts';
import type { Site, SiteDirectory } from '../sites/index.ts';
import { type BodyLimits, type BodyStream, defaultBodyLimits, readBodyText } from './body.ts';
import { clientIp } from './client-ip.ts';
import { type EventRow, type RequestFacts, toEventRow } from './event-row.ts';
import type { GroupCommit } from './group-commit.ts';
import type { RateLimiter } from './rate-limit.ts';
import { type BodyTraits, bodyTraits, checkMessage, describeIssues, rejection } from './validate.ts';

export interface IngestDeps {
  sites: SiteDirectory;
  commit: GroupCommit<EventRow>;
  limiter: RateLimiter;
  trustProxy: boolean;
  /** The peer's address; supplied by the runtime adapter (kept out of this module). */
  remoteAddress: (c: Context) => string | undefined;
  /** The body's bytes straight from the runtime, when it has a cheaper stream than the Request's. */
  bodyStream?: (c: Context) => BodyStream | undefined;
  bodyLimits?: BodyLimits;
}

/** Segment's libraries send the write key as the Basic-auth user name. */
function writeKeyFromAuthorization(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user || undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(400, 'malformed_json', `body is not valid JSON: ${(error as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function ingestRoutes(deps: IngestDeps) {
  const app = new Hono();

  /** Key → site, then the per-site checks: origin and rate. */
  async function admit(writeKey: string | undefined, origin: string | undefined): Promise<Site> {
    if (!writeKey) {
      throw new AppError(401, 'missing_write_key', 'send the write key as the Basic-auth user name or as `writeKey`');
    }
    const site = await deps.sites.byWriteKey(writeKey);
    if (!site) throw new AppError(401, 'unknown_write_key', 'unknown write key');
    if (origin && !site.allowedOrigins.includes(origin)) {
      throw new AppError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this site`, 'Origin');
    }
    const wait = deps.limiter.take(site.siteId);
    if (wait > 0) {
      throw new AppError(429, 'rate_limited', 'too many requests for this write key', undefined, {
        'Retry-After': String(wait),
      });
    }
    return site;
  }

  async function ingest(c: Context, kind: 'batch' | MessageType) {
    const receivedAt = Date.now();
    const origin = c.req.header('origin');
    const headerKey = writeKeyFromAuthorization(c.req.header('authorization'));
    // With the key in a header the cheap checks run before the body is even read.
    let site = headerKey ? await admit(headerKey, origin) : undefined;

    const limits = deps.bodyLimits ?? defaultBodyLimits;
    const { text, bytes } = await readBodyText(c.req.raw, limits, deps.bodyStream?.(c));
    const body = parseJson(text);
    if (!isObject(body)) throw new AppError(400, 'invalid_body', 'body must be a JSON object');

    let raws: unknown[];
    let batchSentAt: string | undefined;
    if (kind === 'batch') {
      const envelope = batchSchema.safeParse(body);
      if (!envelope.success) {
        const { message, field } = describeIssues(envelope.error);
        throw new AppError(400, 'invalid_batch', message, field);
      }
      raws = envelope.data.batch;
      batchSentAt = envelope.data.sentAt;
    } else {
      raws = [{ ...body, type: kind }];
    }
    site ??= await admit(typeof body.writeKey === 'string' ? body.writeKey : undefined, origin);

    const facts: RequestFacts = {
      siteId: site.siteId,
      receivedAt,
      batchSentAt,
      requestIp: clientIp(deps.remoteAddress(c), c.req.header('x-forwarded-for'), deps.trustProxy),
      requestUserAgent: c.req.header('user-agent'),
      newMessageId: randomUUID,
    };
    const traits: BodyTraits = bodyTraits(text, bytes);
    const rows: EventRow[] = [];
    const rejected: RejectedMessage[] = [];
    raws.forEach((raw, index) => {
      const checked = checkMessage(raw, traits, kind === 'batch' ? 2 : 0);
      if (checked.ok) rows.push(toEventRow(checked.message, facts));
      else if (kind !== 'batch') throw new AppError(400, 'invalid_message', checked.error, checked.field || undefined);
      else rejected.push(rejection(index, raw, checked.error));
    });

    let accepted = 0;
    if (rows.length > 0) {
      let stored: boolean[];
      try {
        stored = await deps.commit.submit(rows);
      } catch (error) {
        // A data exception or a violated constraint (SQLSTATE classes 22, 23) means this request's content,
        // which validation let through, cannot be stored: retrying would fail the same way.
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) {
          throw new AppError(400, 'unstorable_message', `a message could not be stored: ${(error as Error).message}`);
        }
        console.error('ingest: write failed', error);
        throw new AppError(503, 'storage_unavailable', 'events could not be stored; retry later', undefined, {
          'Retry-After': '1',
        });
      }
      for (const s of stored) if (s) accepted++;
    }
    const result: IngestResult = { accepted, duplicates: rows.length - accepted, rejected };
    return c.json(result, 200);
  }

  app.post('/v1/batch', (c) => ingest(c, 'batch'));
  for (const type of messageTypes) app.post(`/v1/${type}`, (c) => ingest(c, type));
  return app;
}
