import { Alert, Breadcrumb, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { useSession } from '../session';

interface Division {
  code: string;
  name: string;
  officialName: string | null;
  level: string;
  levelName: string;
  parentCode: string | null;
  fullName: string;
  children: number;
}

const PAGE_SIZE = 20;
const LEVELS = [
  { value: 'county', label: '旗县区' },
  { value: 'township', label: '苏木乡镇（街道）' },
  { value: 'village', label: '嘎查村（社区）' },
];

/** 行政区划: the tree the platform runs on, browsed level by level (an administrator's own part of it). */
export default function AdminJurisdictionsPage() {
  const [params, setParams] = useSearchParams();
  const { session } = useSession();
  const parent = params.get('parent') ?? undefined;
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [level, setLevel] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Division> | null>(null);
  const [path, setPath] = useState<Division[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // Without a parent or a search: the administrator's own division's direct subdivisions.
  const under = parent ?? (query || level ? undefined : session?.user.jurisdiction);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const p = new URLSearchParams({
      page: String(page),
      pageSize: String(PAGE_SIZE),
      ...(under ? { parent: under } : {}),
      ...(query ? { q: query } : {}),
      ...(level ? { level } : {}),
    });
    api<Page<Division>>('GET', `/admin/jurisdictions?${p}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [under, query, level, page]);

  useEffect(() => {
    if (!under) return setPath([]);
    let live = true;
    api<Division & { path: Division[] }>('GET', `/admin/jurisdictions/${under}`)
      .then((d) => live && setPath(d.path))
      .catch(() => live && setPath([]));
    return () => {
      live = false;
    };
  }, [under]);

  const open = (code?: string) => {
    setPage(1);
    setQuery('');
    setQ('');
    setLevel(undefined);
    setParams(code ? { parent: code } : {});
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          行政区划
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Breadcrumb
          items={[
            {
              title: (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open()}>
                  全部
                </Button>
              ),
            },
            ...path.map((d) => ({
              title:
                d.code === under ? (
                  d.name
                ) : (
                  <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(d.code)}>
                    {d.name}
                  </Button>
                ),
            })),
          ]}
        />
        <Space wrap>
          <Input.Search
            aria-label="按名称或代码查找区划"
            placeholder="名称或代码开头，如 双河"
            allowClear
            style={{ width: 260 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => {
              setQuery(v.trim());
              setPage(1);
            }}
          />
          <Select
            aria-label="按层级筛选"
            placeholder="全部层级"
            allowClear
            style={{ width: 200 }}
            value={level}
            onChange={(v) => {
              setLevel(v);
              setPage(1);
            }}
            options={LEVELS}
          />
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        <Table<Omit<Division, 'children'> & { subdivisions: number }>
          rowKey="code"
          size="small"
          loading={loading}
          // `children` would make antd read the rows as a tree: the count goes by another name.
          dataSource={(data?.items ?? []).map(({ children, ...d }) => ({ ...d, subdivisions: children }))}
          locale={{ emptyText: <span style={{ color: '#595959' }}>{'没有符合条件的区划'}</span> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 个`,
            onChange: setPage,
          }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '层级', dataIndex: 'levelName' },
            {
              title: '所属',
              dataIndex: 'fullName',
              render: (n: string, d) => n.slice(0, n.length - d.name.length) || '—',
            },
            { title: '公布名称', dataIndex: 'officialName', render: (n: string | null) => n ?? '—' },
            { title: '统计用区划代码', dataIndex: 'code' },
            {
              title: '下级',
              render: (_: unknown, d) =>
                d.subdivisions ? (
                  <Button size="small" aria-label={`查看 ${d.name} 的下级`} onClick={() => open(d.code)}>
                    {d.subdivisions} 个下级
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
