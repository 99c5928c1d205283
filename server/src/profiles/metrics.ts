// GET /metrics in Prometheus' text format: the projector's lag and throughput.
import { Hono } from 'hono';
import type { Projector } from './projector.ts';

export async function metricsText(projector: Projector): Promise<string> {
  const lag = await projector.lag();
  const { events, batches, skipped } = projector.stats;
  const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number) =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`;
  return [
    metric('fideliza_projector_lag_events', 'gauge', 'Committed events not yet projected.', lag),
    metric('fideliza_projector_events_total', 'counter', 'Events projected by this process.', events),
    metric('fideliza_projector_batches_total', 'counter', 'Batches committed by this process.', batches),
    metric('fideliza_projector_skipped_events_total', 'counter', 'Events stepped over as unprojectable.', skipped),
  ].join('');
}

/** Unauthenticated, as Prometheus scrapes it: it shows counts only, nothing about any site or person. */
export function metricsRoutes(projector: Projector) {
  return new Hono().get('/metrics', async (c) =>
    c.text(await metricsText(projector), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );
}
