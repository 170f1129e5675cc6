import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError, type Page } from '../api';
import { beijingTimeSeconds } from '../labels';

/** Each department's tamper-evident log, as the auditor reads it (the CLI `npm run audit:verify` checks the same). */
const LOGS = [
  { department: 'intake', name: '一门受理（乡镇、街道窗口）' },
  { department: 'civil-affairs', name: '民政部门' },
  { department: 'health', name: '卫生健康部门' },
  { department: 'housing', name: '住房部门' },
  { department: 'education', name: '教育部门' },
  { department: 'oversight', name: '监督账本（联席会议、责任追究）' },
] as const;
const logName = (d: string) => LOGS.find((l) => l.department === d)?.name ?? d;

interface Verification {
  department: string;
  ok: boolean;
  streams: number;
  broken: {
    streamId: string;
    eventsChecked: number;
    firstBroken?: { streamVersion: number; reason: string };
  }[];
  seals: {
    seals: number;
    problems: { sealNo: number; problem: string; stream?: string }[];
    superseded: { sealNo: number; by: number; reason: string }[];
    unsealed: number;
  };
}

interface Seal {
  sealNo: number;
  department: string;
  entryCount: number;
  sealedAt: string;
  kind?: string;
  supersedes?: { from: number; to: number } | null;
  reason?: string | null;
  sealHash: string;
  keyId: string;
}

type Row = { department: string; result?: Verification; error?: string };

const GOOD = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const BAD = { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' };
const SEAL_PAGE_SIZE = 10;
const errorText = (e: unknown) => (e instanceof ApiError ? e.message : '校验失败');

function problems(v: Verification): string[] {
  return [
    ...v.broken.map(
      (b) =>
        `事件流 ${b.streamId} 第 ${b.firstBroken?.streamVersion ?? '?'} 条起哈希链断裂：${b.firstBroken?.reason ?? ''}`,
    ),
    ...v.seals.problems.map((p) => `第 ${p.sealNo} 次封存：${p.problem}`),
  ];
}

export default function AuditIntegrityPage() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const verify = async () => {
    setRunning(true);
    try {
      const results = await Promise.all(
        LOGS.map((l) =>
          api<Verification>('GET', `/${l.department}/audit/verify`).then(
            (result): Row => ({ department: l.department, result }),
            (e): Row => ({ department: l.department, error: errorText(e) }),
          ),
        ),
      );
      setRows(results);
      setCheckedAt(new Date().toISOString());
    } finally {
      setRunning(false);
    }
  };

  const allOk = rows?.every((r) => r.result?.ok);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            完整性校验
          </Typography.Title>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph style={{ margin: 0 }}>
            逐一重算各部门事件库中每条事件流的哈希链，并核验全部签名封存记录，检查记录是否被篡改、删除或插入。
          </Typography.Paragraph>
          <Button type="primary" loading={running} onClick={() => void verify()}>
            开始校验
          </Button>
          {rows && (
            <Alert
              data-testid="verify-summary"
              type={allOk ? 'success' : 'error'}
              showIcon
              message={
                allOk
                  ? `${beijingTimeSeconds(checkedAt)} 校验完成：全部 ${rows.length} 个事件库的哈希链和封存记录完好`
                  : `${beijingTimeSeconds(checkedAt)} 校验完成：发现问题，请查看下表`
              }
            />
          )}
          {rows && (
            <Table<Row>
              rowKey="department"
              size="small"
              pagination={false}
              dataSource={rows}
              columns={[
                { title: '事件库', dataIndex: 'department', render: (d: string) => logName(d) },
                {
                  title: '结论',
                  render: (_: unknown, r) =>
                    r.error ? (
                      <Tag style={BAD}>无法校验</Tag>
                    ) : r.result!.ok ? (
                      <Tag style={GOOD}>完好</Tag>
                    ) : (
                      <Tag style={BAD}>发现问题</Tag>
                    ),
                },
                {
                  title: '事件流',
                  render: (_: unknown, r) =>
                    r.result
                      ? `${r.result.streams} 条，${r.result.broken.length ? `${r.result.broken.length} 条断裂` : '哈希链均完好'}`
                      : '—',
                },
                {
                  title: '封存记录',
                  render: (_: unknown, r) =>
                    r.result
                      ? `${r.result.seals.seals} 次，${r.result.seals.problems.length ? `${r.result.seals.problems.length} 处问题` : '签名均有效'}`
                      : '—',
                },
                {
                  title: '尚未封存的记录',
                  render: (_: unknown, r) => (r.result ? `${r.result.seals.unsealed} 条` : '—'),
                },
                {
                  title: '说明',
                  render: (_: unknown, r) =>
                    r.error ??
                    (problems(r.result!).join('；') ||
                      (r.result!.seals.superseded.length
                        ? `${r.result!.seals.superseded.length} 次封存已由更正封存取代`
                        : '—')),
                },
              ]}
            />
          )}
        </Space>
      </Card>
      <Seals />
    </Space>
  );
}

function Seals() {
  const [department, setDepartment] = useState<string>('oversight');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Seal> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(SEAL_PAGE_SIZE) });
    api<Page<Seal>>('GET', `/${department}/audit/seals?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [department, page]);

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          封存记录
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap>
          <label htmlFor="seal-log">事件库</label>
          <Select
            id="seal-log"
            style={{ width: 280 }}
            value={department}
            onChange={(d) => {
              setDepartment(d);
              setPage(1);
            }}
            options={LOGS.map((l) => ({ value: l.department, label: l.name }))}
          />
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        <Table<Seal>
          rowKey="sealNo"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <span style={{ color: '#595959' }}>{'尚无封存记录'}</span> }}
          pagination={{
            current: page,
            pageSize: SEAL_PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 次`,
            onChange: setPage,
          }}
          columns={[
            { title: '封存序号', dataIndex: 'sealNo', render: (n: number) => `第 ${n} 次` },
            {
              title: '封存时间（北京时间）',
              dataIndex: 'sealedAt',
              render: (t: string) => beijingTimeSeconds(t),
            },
            { title: '封存记录条数', dataIndex: 'entryCount', render: (n: number) => `${n} 条` },
            {
              title: '类型',
              render: (_: unknown, s) =>
                s.kind === 'corrective'
                  ? `更正封存（取代第 ${s.supersedes?.from ?? ''}–${s.supersedes?.to ?? ''} 次）`
                  : '定期封存',
            },
            {
              title: '封存摘要（前16位）',
              dataIndex: 'sealHash',
              render: (h: string) => (
                <Typography.Text code title={h}>
                  {h.slice(0, 16)}
                </Typography.Text>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
