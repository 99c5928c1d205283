// Reads a request body within byte limits, before and after gzip, as text (beacons send text/plain).
import { gunzip } from 'node:zlib';
import { AppError } from '../http/errors.ts';

export interface BodyLimits {
  /** Bytes on the wire. */
  maxBytes: number;
  /** Bytes after decompression. */
  maxDecodedBytes: number;
}

export const defaultBodyLimits: BodyLimits = { maxBytes: 512 * 1024, maxDecodedBytes: 2.5 * 1024 * 1024 };

const tooLarge = (what: string, limit: number) =>
  new AppError(413, 'payload_too_large', `${what} is larger than ${Math.round(limit / 1024)} KB`);

/** The raw bytes of a request body, from whichever stream the runtime offers. */
export type BodyStream = AsyncIterable<Uint8Array>;

async function* webStreamChunks(stream: ReadableStream<Uint8Array>): BodyStream {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (body too large): stop the upload too.
    await reader.cancel();
  }
}

async function readLimited(headers: Headers, body: BodyStream | null, maxBytes: number): Promise<Buffer> {
  const declared = Number(headers.get('content-length'));
  if (declared > maxBytes) throw tooLarge('request body', maxBytes);
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early ends the stream, so a body past the limit is not read to its end.
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge('request body', maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function gunzipLimited(data: Buffer, maxOutputLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(data, { maxOutputLength }, (err, out) => {
      if (!err) return resolve(out);
      if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(tooLarge('decompressed body', maxOutputLength));
      } else {
        reject(new AppError(400, 'invalid_body', 'body is not valid gzip'));
      }
    });
  });
}

/**
 * The body as text with its size in bytes; gzip is undone when Content-Encoding says so.
 * `body` defaults to the Request's web stream; on Node the server passes the socket's own stream, which
 * skips building a web ReadableStream for every request.
 */
export async function readBodyText(
  req: Request,
  limits: BodyLimits = defaultBodyLimits,
  body: BodyStream | null = req.body && webStreamChunks(req.body),
): Promise<{ text: string; bytes: number }> {
  const encoding = (req.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new AppError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported; use gzip or none`);
  }
  let data = await readLimited(req.headers, body, limits.maxBytes);
  if (encoding === 'gzip') data = await gunzipLimited(data, limits.maxDecodedBytes);
  return { text: data.toString('utf8'), bytes: data.byteLength };
}
