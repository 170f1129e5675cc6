import type { IncomingMessage, ServerResponse } from 'node:http';
import client from 'prom-client';

type Labels = Record<string, string>;
/** One labelled value a source reports when Prometheus scrapes. */
export interface Sample {
  labels: Labels;
  value: number;
}

interface Scraped {
  metric: client.Gauge | client.Counter;
  sources: Array<() => Promise<Sample[]>>;
}

/**
 * The service's Prometheus metrics (`GET /metrics`): Node's own (memory, event-loop delay, GC), HTTP
 * latency by route, and figures the modules report — read from the database when scraped (`scraped`)
 * or counted as things happen (`counter`, `gauge`). One registry per application, so several
 * applications in one process (tests) do not share figures.
 */
export class MetricsRegistry {
  readonly registry = new client.Registry();
  private readonly http: client.Histogram<'method' | 'route' | 'status'>;
  private readonly scrapedMetrics = new Map<string, Scraped>();
  private readonly counters = new Map<string, client.Counter>();
  private readonly gauges = new Map<string, client.Gauge>();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    client.collectDefaultMetrics({ register: this.registry });
    this.http = new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern (never the raw path: no ids or personal data) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /** Express middleware timing every request; the route is the matched pattern (`/cases/:id`). */
  httpMiddleware() {
    return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const r = req as IncomingMessage & { route?: { path?: string }; baseUrl?: string };
        const route = r.route?.path ? `${r.baseUrl ?? ''}${r.route.path}` : 'unmatched';
        this.http.observe(
          { method: req.method ?? 'GET', route, status: String(res.statusCode) },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      });
      next();
    };
  }

  /**
   * A figure read when scraped. Several sources may report under one name (each department of the
   * single process reports its own labels); a failing source leaves its samples out, not the page.
   */
  scraped(
    kind: 'gauge' | 'counter',
    name: string,
    help: string,
    labelNames: string[],
    source: () => Promise<Sample[]>,
  ): void {
    let entry = this.scrapedMetrics.get(name);
    if (!entry) {
      const sources: Scraped['sources'] = [];
      const collect = async function (this: client.Gauge | client.Counter) {
        const results = await Promise.allSettled(sources.map((s) => s()));
        this.reset();
        for (const r of results)
          if (r.status === 'fulfilled')
            for (const { labels, value } of r.value)
              if (this instanceof client.Gauge) this.set(labels, value);
              else (this as client.Counter).inc(labels, value);
      };
      const options = { name, help, labelNames, registers: [this.registry], collect };
      entry = { metric: kind === 'gauge' ? new client.Gauge(options) : new client.Counter(options), sources };
      this.scrapedMetrics.set(name, entry);
    }
    entry.sources.push(source);
  }

  /** A counter the code increments as things happen (one per name, shared by whoever asks for it). */
  counter(name: string, help: string, labelNames: string[]): client.Counter {
    let c = this.counters.get(name);
    if (!c) {
      c = new client.Counter({ name, help, labelNames, registers: [this.registry] });
      this.counters.set(name, c);
    }
    return c;
  }

  /** A gauge the code sets as things happen (one per name, shared by whoever asks for it). */
  gauge(name: string, help: string, labelNames: string[]): client.Gauge {
    let g = this.gauges.get(name);
    if (!g) {
      g = new client.Gauge({ name, help, labelNames, registers: [this.registry] });
      this.gauges.set(name, g);
    }
    return g;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
