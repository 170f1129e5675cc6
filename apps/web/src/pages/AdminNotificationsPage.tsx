import { Alert, App, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';

interface NotificationRow {
  id: string;
  kind: string;
  kindName: string;
  channel: string;
  channelName: string;
  recipient: string;
  subject: string;
  status: 'pending' | 'sent' | 'dead';
  statusName: string;
  attempts: number;
  lastError: string | null;
  createdAtText: string;
  sentAtText: string | null;
  nextAttemptAtText: string | null;
}

const STATUSES = [
  { value: 'all', label: '全部' },
  { value: 'dead', label: '发送失败' },
  { value: 'pending', label: '待发送' },
  { value: 'sent', label: '已发送' },
] as const;
const STATUS_COLORS: Record<string, string> = { dead: 'red', pending: 'gold', sent: 'green' };
const PAGE_SIZE = 20;

/** What the platform told applicants and subscribed systems, and what it could not: the administrator resends. */
export default function AdminNotificationsPage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = STATUSES.find((s) => s.value === params.get('status'))?.value ?? 'all';
  const page = Number(params.get('page') ?? '1') || 1;
  const [data, setData] = useState<Page<NotificationRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({
      page: String(page),
      pageSize: String(PAGE_SIZE),
      ...(status !== 'all' ? { status } : {}),
    });
    api<Page<NotificationRow>>('GET', `/notifications?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [status, page, reload]);

  const resend = async (row: NotificationRow) => {
    setBusy(row.id);
    try {
      await api('POST', `/notifications/${row.id}/resend`);
      message.success('已重新排入发送');
      setReload((n) => n + 1);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          通知发送记录
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph style={{ margin: 0 }}>
          各项救助事项办结时，平台以短信、邮件告知同意接收通知的申请人，并向已登记的业务系统推送。发送失败的会自动重试；多次重试仍失败的列在最前，排除故障后可重新发送。
        </Typography.Paragraph>
        <Segmented
          aria-label="发送状态"
          value={status}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'all') next.delete('status');
            else next.set('status', String(v));
            next.delete('page');
            setParams(next);
          }}
          options={STATUSES.map((s) => ({ value: s.value, label: s.label }))}
        />
        {error && <Alert type="error" showIcon message={error} />}
        <Table<NotificationRow>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <span style={{ color: '#595959' }}>没有符合条件的通知</span> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p) => {
              const next = new URLSearchParams(params);
              next.set('page', String(p));
              setParams(next);
            },
          }}
          columns={[
            {
              title: '生成时间（北京时间）',
              dataIndex: 'createdAtText',
              render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{t}</span>,
            },
            { title: '事由', dataIndex: 'kindName' },
            {
              title: '发送方式与对象',
              render: (_: unknown, r) => (
                <Space direction="vertical" size={0}>
                  <span>{r.channelName}</span>
                  <span style={{ color: '#595959' }}>{r.recipient}</span>
                </Space>
              ),
            },
            { title: '标题', dataIndex: 'subject' },
            {
              title: '状态',
              render: (_: unknown, r) => (
                <Space direction="vertical" size={0}>
                  <Tag color={STATUS_COLORS[r.status]}>{r.statusName}</Tag>
                  <span>已尝试 {r.attempts} 次</span>
                  {r.sentAtText && <span>发送于 {r.sentAtText}</span>}
                  {r.nextAttemptAtText && r.attempts > 0 && <span>下次重试 {r.nextAttemptAtText}</span>}
                  {r.lastError && r.status !== 'sent' && (
                    <span style={{ color: '#a8071a' }}>{r.lastError}</span>
                  )}
                </Space>
              ),
            },
            {
              title: '操作',
              render: (_: unknown, r) =>
                r.status === 'dead' ? (
                  <Button size="small" loading={busy === r.id} onClick={() => void resend(r)}>
                    重新发送
                  </Button>
                ) : null,
            },
          ]}
        />
      </Space>
    </Card>
  );
}
