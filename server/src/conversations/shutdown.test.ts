// Graceful shutdown over real HTTP: an open event stream is ended, so stop() does not wait for ever.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { openTestDatabase, testDialects } from '../db/testing.ts';
import { startServer } from '../http/server.ts';
import { setupSite } from './testing.ts';

describe.each(testDialects)('shutdown with open streams on %s', (dialect) => {
  it('ends visitor streams and stops promptly', async () => {
    const db = await openTestDatabase(dialect);
    const site = await setupSite(db, undefined, false);
    const server = await startServer({ ...loadConfig({}), PORT: 0, HOST: '127.0.0.1' }, db);
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const session = await fetch(`${base}/v1/widget/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ writeKey: site.writeKey, anonymousId: 'closing' }),
      });
      const { token } = (await session.json()) as { token: string };
      const started = await fetch(`${base}/v1/widget/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: 'hola' }),
      });
      const { conversation } = (await started.json()) as { conversation: { id: string } };
      // EventSource's way: the token in the query string.
      const stream = await fetch(`${base}/v1/widget/conversations/${conversation.id}/events?token=${token}`);
      expect(stream.status).toBe(200);
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('hola')) text += new TextDecoder().decode((await reader.read()).value);
      const began = Date.now();
      await server.stop();
      expect(Date.now() - began).toBeLessThan(5000);
      // The stream was ended by the server, not left hanging.
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
    } finally {
      await server.stop();
    }
  });
});
