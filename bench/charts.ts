// npm run bench:charts — one PNG per benchmark from its newest result in bench/results, into docs/benchmarks/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

type Row = Record<string, unknown>;
const resultsDir = path.resolve('bench/results');
const outDir = path.resolve('docs/benchmarks');
mkdirSync(outDir, { recursive: true });

/** The newest full run (`--quick` runs, e.g. from `npm test`, only check that a benchmark works). */
function newest(name: string): { results: Row[]; environment: Row } | null {
  const files = readdirSync(resultsDir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))
    .sort()
    .reverse();
  for (const file of files) {
    const data = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
    if (!data.environment?.quick) return data;
  }
  return null;
}

async function png(name: string, spec: vegaLite.TopLevelSpec): Promise<void> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  const image = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  writeFileSync(path.join(outDir, `${name}.png`), image);
  console.log(`docs/benchmarks/${name}.png`);
}

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 520,
  height: 260,
  config: { font: 'DejaVu Sans' },
} as const;
const long = (rows: Row[], key: string, fields: string[]) =>
  rows.flatMap((r) => fields.map((f) => ({ [key]: r[key], series: f, value: Number(r[f]) })));

const charts: Record<string, (r: Row[]) => vegaLite.TopLevelSpec> = {
  append: (r) => ({
    ...base,
    title: 'append: events/s (ours, plain INSERT limit, Emmett)',
    data: { values: long(r, 'scenario', ['ours ev/s', 'limit ev/s', 'emmett ev/s']) },
    mark: 'bar',
    encoding: {
      x: { field: 'scenario', type: 'nominal', title: null },
      xOffset: { field: 'series' },
      y: { field: 'value', type: 'quantitative', title: 'events/s' },
      color: { field: 'series', title: null },
    },
  }),
  replay: (r) => ({
    ...base,
    title: 'replay of the event log: events/s',
    data: { values: r },
    mark: 'bar',
    encoding: {
      y: { field: 'measure', type: 'nominal', title: null, sort: null },
      x: { field: 'events/s', type: 'quantitative' },
    },
  }),
  'case-replay': (r) => ({
    ...base,
    title: 'point-in-time case replay (1,000 events): latency',
    data: { values: long(r, 'measure', ['p50 ms', 'p99 ms']) },
    mark: 'bar',
    encoding: {
      x: { field: 'series', type: 'nominal', title: null },
      y: { field: 'value', type: 'quantitative', title: 'ms' },
    },
  }),
  dashboard: (r) => ({
    ...base,
    title: 'joint-meeting dashboard: latency',
    data: { values: long(r, 'query', ['p50 ms', 'p99 ms']) },
    mark: 'bar',
    encoding: {
      x: { field: 'query', type: 'nominal', title: null },
      xOffset: { field: 'series' },
      y: { field: 'value', type: 'quantitative', title: 'ms' },
      color: { field: 'series', title: null },
    },
  }),
  http: (r) => ({
    ...base,
    title: 'HTTP at 50 connections: latency (ours) and p99 of node:http + pg (limit)',
    data: { values: long(r, 'request', ['p50 ms', 'p90 ms', 'p99 ms', 'limit p99 ms']) },
    mark: 'bar',
    encoding: {
      x: { field: 'request', type: 'nominal', title: null },
      xOffset: { field: 'series' },
      y: { field: 'value', type: 'quantitative', title: 'ms' },
      color: { field: 'series', title: null },
    },
  }),
  'referral-e2e': (r) => ({
    ...base,
    title: 'intake commit → department read model: latency by rate',
    data: { values: long(r, 'cases/s', ['p50 ms', 'p95 ms', 'p99 ms']) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'cases/s', type: 'quantitative', title: 'cases/s (3 referrals each)' },
      y: { field: 'value', type: 'quantitative', title: 'ms', scale: { type: 'log' } },
      color: { field: 'series', title: null },
    },
  }),
};

for (const [name, spec] of Object.entries(charts)) {
  const data = newest(name);
  if (!data) {
    console.log(`${name}: no results yet`);
    continue;
  }
  await png(name, spec(data.results));
}
