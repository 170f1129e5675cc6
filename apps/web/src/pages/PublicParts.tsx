import { Alert, ConfigProvider, Select, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';

export interface PlaceOption {
  code: string;
  name: string;
}

export interface PlaceChoice {
  county?: string;
  township?: string;
  village?: string;
}

const LINKS = [
  { to: '/notices', label: '公示公告' },
  { to: '/notices/recipients', label: '长期公示' },
  { to: '/progress', label: '办理进度查询' },
];

/** Hints, counters and errors dark enough to read on a phone outdoors (antd's defaults fail WCAG AA). */
export const READABLE = {
  token: {
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorError: '#cf1322',
  },
};

/** The citizens' pages: a phone-first column with links between them, no account needed. */
export function PublicShell({
  title,
  intro,
  children,
}: {
  title: string;
  intro: ReactNode;
  children: ReactNode;
}) {
  const { pathname } = useLocation();
  return (
    <ConfigProvider theme={READABLE}>
      {/* The browser's default 8px body margin would show as a white frame around the page on a phone. */}
      <style>{'body { margin: 0; }'}</style>
      <div style={{ minHeight: '100vh', background: '#f5f7fa' }}>
        <header style={{ background: '#1d3f73', padding: '12px 16px' }}>
          <div style={{ maxWidth: 720, margin: '0 auto' }}>
            <div style={{ color: '#fff', fontSize: 16, fontWeight: 600 }}>巴彦淖尔市社会救助公众服务</div>
            <nav
              aria-label="公众服务"
              style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', marginTop: 6 }}
            >
              {LINKS.map((l) => (
                <Link
                  key={l.to}
                  to={l.to}
                  aria-current={pathname === l.to ? 'page' : undefined}
                  style={{
                    color: '#fff',
                    textDecoration: pathname === l.to ? 'underline' : 'none',
                    fontWeight: pathname === l.to ? 600 : 400,
                    padding: '4px 0',
                  }}
                >
                  {l.label}
                </Link>
              ))}
            </nav>
          </div>
        </header>
        <main style={{ maxWidth: 720, margin: '0 auto', padding: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 22 }}>
            {title}
          </Typography.Title>
          <Typography.Paragraph style={{ color: '#444' }}>{intro}</Typography.Paragraph>
          {children}
        </main>
      </div>
    </ConfigProvider>
  );
}

/** Every division below `parentCode` (the API pages them; a township may have more villages than a page). */
async function placesUnder(parentCode: string | null): Promise<PlaceOption[]> {
  const out: PlaceOption[] = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams({ page: String(page), pageSize: '100' });
    if (parentCode) q.set('parentCode', parentCode);
    const r = await api<Page<PlaceOption>>('GET', `/public/places?${q}`);
    out.push(...r.items);
    if (r.items.length === 0 || out.length >= r.total) return out;
  }
}

function usePlaces(parentCode: string | null, enabled: boolean) {
  const [items, setItems] = useState<PlaceOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setItems([]);
    if (!enabled) return;
    let live = true;
    setLoading(true);
    placesUnder(parentCode)
      .then((p) => live && (setItems(p), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '地名加载失败，请稍后重试'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [parentCode, enabled]);
  return { items, loading, error };
}

function PlaceSelect(props: {
  id: string;
  label: string;
  placeholder: string;
  value?: string;
  options: PlaceOption[];
  loading: boolean;
  disabled: boolean;
  onChange(code: string | undefined): void;
}) {
  return (
    <div style={{ marginBottom: 12 }}>
      <label htmlFor={props.id} style={{ display: 'block', marginBottom: 4 }}>
        {props.label}
      </label>
      <Select
        id={props.id}
        size="large"
        style={{ width: '100%' }}
        showSearch
        allowClear
        optionFilterProp="label"
        placeholder={props.placeholder}
        value={props.value}
        loading={props.loading}
        disabled={props.disabled}
        options={props.options.map((p) => ({ value: p.code, label: p.name }))}
        onChange={(v?: string) => props.onChange(v)}
        notFoundContent="没有找到"
      />
    </div>
  );
}

/** 旗县区 → 乡镇（街道） → 村（社区）, by name; each list is read from the public place names. */
export function PlacePicker({ value, onChange }: { value: PlaceChoice; onChange(v: PlaceChoice): void }) {
  const counties = usePlaces(null, true);
  const townships = usePlaces(value.county ?? null, Boolean(value.county));
  const villages = usePlaces(value.township ?? null, Boolean(value.township));
  const error = counties.error ?? townships.error ?? villages.error;
  return (
    <div>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} />}
      <PlaceSelect
        id="place-county"
        label="旗县区"
        placeholder="请选择旗县区"
        value={value.county}
        options={counties.items}
        loading={counties.loading}
        disabled={false}
        onChange={(county) => onChange({ county })}
      />
      <PlaceSelect
        id="place-township"
        label="乡镇（街道）"
        placeholder={value.county ? '请选择乡镇（街道）' : '请先选择旗县区'}
        value={value.township}
        options={townships.items}
        loading={townships.loading}
        disabled={!value.county}
        onChange={(township) => onChange({ county: value.county, township })}
      />
      <PlaceSelect
        id="place-village"
        label="村（社区）"
        placeholder={value.township ? '请选择村（社区）' : '请先选择乡镇（街道）'}
        value={value.village}
        options={villages.items}
        loading={villages.loading}
        disabled={!value.township}
        onChange={(village) => onChange({ county: value.county, township: value.township, village })}
      />
    </div>
  );
}

/** The choice kept in the address (`?county=…&township=…&village=…`), so a reload or a shared link keeps it. */
export function choiceOf(params: URLSearchParams): PlaceChoice {
  const code = (k: string) => {
    const v = params.get(k);
    return v && /^\d{12}$/.test(v) ? v : undefined;
  };
  return { county: code('county'), township: code('township'), village: code('village') };
}

export function paramsOf(choice: PlaceChoice): Record<string, string> {
  return Object.fromEntries(Object.entries(choice).filter(([, v]) => v)) as Record<string, string>;
}

const beijingDay = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

/** An instant as its Beijing calendar day, `2026年11月28日`. */
export function beijingDate(at: string | null | undefined): string {
  if (!at) return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : beijingDay.format(d);
}
