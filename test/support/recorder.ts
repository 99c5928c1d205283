// A recording HTTP proxy in front of a server: every request the browser makes (preflights included, which
// browser automation does not report) is logged with its method, path, headers and body. It can play a network
// that is down (connections dropped, as fetch sees when offline) and answer chosen paths itself.
import { createServer, request as forward, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Status the server answered; 0 while pending or when the network was down. */
  status: number;
}

export interface Recorder {
  /** Origin the browser talks to, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly requests: Recorded[];
  /** While true, every connection is dropped before an answer (a network error for the browser). */
  down: boolean;
  /** Answers GET of these paths itself instead of forwarding. */
  readonly overrides: Map<string, (res: ServerResponse) => void>;
  stop(): Promise<void>;
}

export async function startRecorder(target: string): Promise<Recorder> {
  const upstream = new URL(target);
  const overrides = new Map<string, (res: ServerResponse) => void>();
  const requests: Recorded[] = [];
  const state = { down: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
      };
      requests.push(entry);
      if (state.down) {
        req.socket.destroy();
        return;
      }
      const own = req.method === 'GET' ? overrides.get(entry.path.split('?')[0] ?? '') : undefined;
      if (own) {
        own(res);
        entry.status = res.statusCode;
        return;
      }
      const out = forward(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          entry.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    overrides,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
