// Reads a service's Prometheus page (GET /metrics) the way Prometheus would, for the e2e scenarios.
import { readFileSync } from 'node:fs';
import { eventually } from '@platform/testing';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text exposition format: `name{label="value",…} number`, comments skipped. */
export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

export async function scrape(
  url: string,
  token?: string,
): Promise<{ text: string; samples: MetricSample[] }> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  return { text, samples: parseMetrics(text) };
}

export function sum(samples: MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/**
 * What every service's page must show after a scenario has run through it: HTTP latency by route pattern
 * (never a raw path with an id in it), its department's appended events, the messages its consumers took
 * in, and — once the work has settled — no backlog left anywhere.
 */
export async function expectSettledMetrics(
  url: string,
  options: { department: string; consumes: boolean; relay: boolean; token?: string },
): Promise<MetricSample[]> {
  return eventually(
    async () => {
      const { text, samples } = await scrape(url, options.token);
      // Routes are patterns: no UUID, case number or ID number ever becomes a label.
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      expect(text).not.toMatch(/="[^"]*\b\d{17}[\dX]\b[^"]*"/); // in a label value (sample values are floats)
      expect(sum(samples, 'http_request_duration_seconds_count')).toBeGreaterThan(0);
      expect(sum(samples, 'sap_events_appended_total', { department: options.department })).toBeGreaterThan(
        0,
      );
      expect(sum(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      if (options.consumes) {
        expect(sum(samples, 'sap_messages_total', { outcome: 'handled' })).toBeGreaterThan(0);
        expect(
          samples.some((s) => s.name === 'sap_consumer_last_message_timestamp_seconds' && s.value > 1.7e9),
        ).toBe(true);
      }
      if (options.relay) {
        expect(samples.some((s) => s.name === 'sap_relay_lag_events')).toBe(true);
        expect(sum(samples, 'sap_relay_lag_events')).toBe(0);
        expect(sum(samples, 'sap_relay_lag_seconds')).toBe(0);
      }
      expect(sum(samples, 'sap_consumer_lag_events')).toBe(0);
      // The scenarios complete every referral they let run late.
      if (options.consumes) expect(sum(samples, 'sap_referrals_overdue')).toBe(0);
      return samples;
    },
    { timeoutMs: 20_000, intervalMs: 250, what: `settled metrics of ${options.department}` },
  );
}

/** Every metric the operators' Grafana dashboard (infra/grafana) queries, by the name a scrape shows. */
export function dashboardMetricNames(): string[] {
  const dashboard = JSON.parse(readFileSync('infra/grafana/social-assistance-operations.json', 'utf8')) as {
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  const names = dashboard.panels.flatMap((p) =>
    p.targets.flatMap((t) =>
      [...t.expr.matchAll(/\b((?:sap|http|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1]!),
    ),
  );
  return [...new Set(names)].sort();
}
