import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { beijingTime, beijingToday, jurisdictionName } from '../labels';
import { useSession } from '../session';
import { lookupNames } from './AuditNames';

interface Brief {
  version: number;
  effectiveFrom: string;
  reason: string;
}

interface TableSummary {
  table: string;
  name: string;
  inForce: Brief | null;
  scheduled: Brief[];
  versions: number;
}

interface Version extends Brief {
  table: string;
  content: unknown;
  recordedAt: string;
  recordedBy: { id: string; role: string };
}

const HISTORY_PAGE_SIZE = 10;
const errorText = (e: unknown, fallback: string) => {
  if (!(e instanceof ApiError)) return fallback;
  // The server names the offending entry by its path in the content: counties by name, not by code.
  const message = e.message
    .replace(/^content\./, '内容 › ')
    .replace(/\.(?=[^：]*：)/g, ' › ')
    .replace(/\b\d{12}\b/g, (code) => jurisdictionName(code));
  const fields = e.fields.flatMap((f) => f.problems).join('；');
  return fields && !message.includes(fields) ? `${message}（${fields}）` : message;
};

export default function AdminPolicyPage() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('table');
  const [tables, setTables] = useState<TableSummary[] | null>(null);
  const [missingYears, setMissingYears] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    api<{ items: TableSummary[]; missingCalendarYears: string[] }>('GET', '/admin/policy')
      .then((d) => (setTables(d.items), setMissingYears(d.missingCalendarYears), setError(null)))
      .catch((e) => setError(errorText(e, '加载失败')))
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  const summary = tables?.find((t) => t.table === selected) ?? null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            政策参数
          </Typography.Title>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph style={{ margin: 0 }}>
            各项政策参数按版本管理：新版本自生效日期起适用，已作出的决定不受影响，每次调整都记录依据和调整人。
          </Typography.Paragraph>
          {missingYears.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={`缺少 ${missingYears.join('、')} 年工作日历，相关期限暂按周末计算`}
            />
          )}
          {error && <Alert type="error" showIcon message={error} />}
          <Table<TableSummary>
            rowKey="table"
            size="small"
            loading={loading}
            dataSource={tables ?? []}
            pagination={false}
            rowClassName={(r) => (r.table === selected ? 'ant-table-row-selected' : '')}
            columns={[
              { title: '参数表', dataIndex: 'name' },
              {
                title: '现行版本',
                render: (_: unknown, t) => (t.inForce ? `第 ${t.inForce.version} 版` : '未设定'),
              },
              { title: '生效日期', render: (_: unknown, t) => t.inForce?.effectiveFrom ?? '—' },
              { title: '依据', render: (_: unknown, t) => t.inForce?.reason ?? '—' },
              {
                title: '待生效',
                render: (_: unknown, t) =>
                  t.scheduled.length
                    ? t.scheduled.map((s) => `第 ${s.version} 版（${s.effectiveFrom} 起）`).join('、')
                    : '—',
              },
              { title: '版本数', dataIndex: 'versions' },
              {
                title: '操作',
                render: (_: unknown, t) => (
                  <Button
                    size="small"
                    aria-label={`查看 ${t.name}`}
                    onClick={() => setParams({ table: t.table })}
                  >
                    查看
                  </Button>
                ),
              },
            ]}
          />
        </Space>
      </Card>
      {summary && <PolicyTable key={summary.table} summary={summary} onChanged={load} />}
    </Space>
  );
}

function PolicyTable({ summary, onChanged }: { summary: TableSummary; onChanged: () => void }) {
  const { message } = App.useApp();
  const { session } = useSession();
  const [current, setCurrent] = useState<Version | null>(null);
  const [page, setPage] = useState(1);
  const [history, setHistory] = useState<Page<Version> | null>(null);
  const [who, setWho] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState('current');
  const [form] = Form.useForm<{ content: string; effectiveFrom: Dayjs; reason: string }>();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api<Version>('GET', `/admin/policy/${summary.table}`)
      .then((v) => {
        setCurrent(v);
        form.setFieldsValue({ content: JSON.stringify(v.content, null, 2) });
      })
      .catch((e) => setError(errorText(e, '加载失败')));
  }, [summary.table, form, reload]);

  useEffect(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(HISTORY_PAGE_SIZE) });
    api<Page<Version>>('GET', `/admin/policy/${summary.table}/versions?${q}`)
      .then(async (d) => {
        setHistory(d);
        const names = await lookupNames(
          d.items.map((v) => v.recordedBy.id),
          [],
        ).catch(() => null);
        // Ids looked up but not found are kept as unknown; ids not yet looked up show as loading.
        const found = Object.fromEntries(Object.values(names?.users ?? {}).map((u) => [u.id, u.name]));
        setWho((w) => ({
          ...w,
          ...Object.fromEntries(d.items.map((v) => [v.recordedBy.id, found[v.recordedBy.id]])),
        }));
      })
      .catch((e) => setError(errorText(e, '加载失败')));
  }, [summary.table, page, reload]);

  const byName = (v: Version) =>
    v.recordedBy.id === 'system'
      ? '平台初始数据'
      : (who[v.recordedBy.id] ?? (v.recordedBy.id in who ? '（未知用户）' : '…'));

  const publish = async (v: { content: string; effectiveFrom: Dayjs; reason: string }) => {
    setFormError(null);
    let content: unknown;
    try {
      content = JSON.parse(v.content);
    } catch (e) {
      return setFormError(`内容不是有效的 JSON：${(e as Error).message}`);
    }
    setBusy(true);
    try {
      const saved = await api<Version>('POST', `/admin/policy/${summary.table}`, {
        content,
        effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
        reason: v.reason.trim(),
      });
      message.success(`已发布第 ${saved.version} 版，${saved.effectiveFrom} 起生效`);
      form.resetFields(['reason']);
      setPage(1);
      setReload((n) => n + 1);
      setTab('current');
      onChanged();
    } catch (e) {
      setFormError(errorText(e, '发布失败'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {summary.name}
        </Typography.Title>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'current',
            label: '现行版本',
            children: current && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Descriptions bordered size="small" column={2} data-testid="policy-current">
                  <Descriptions.Item label="版本">第 {current.version} 版</Descriptions.Item>
                  <Descriptions.Item label="生效日期">{current.effectiveFrom}</Descriptions.Item>
                  <Descriptions.Item label="依据" span={2}>
                    {current.reason}
                  </Descriptions.Item>
                  <Descriptions.Item label="调整人">{byName(current)}</Descriptions.Item>
                  <Descriptions.Item label="记录时间">{beijingTime(current.recordedAt)}</Descriptions.Item>
                </Descriptions>
                <pre
                  aria-label="现行版本内容"
                  style={{ maxHeight: 360, overflow: 'auto', background: '#f5f5f5', padding: 12, margin: 0 }}
                >
                  {JSON.stringify(current.content, null, 2)}
                </pre>
              </Space>
            ),
          },
          {
            key: 'history',
            label: '历史版本',
            children: (
              <Table<Version>
                rowKey="version"
                size="small"
                dataSource={history?.items ?? []}
                expandable={{
                  // A named button: antd's own expand icon has no text (axe button-name).
                  expandIcon: ({ expanded, onExpand, record }) => (
                    <Button
                      size="small"
                      type="link"
                      aria-expanded={expanded}
                      onClick={(e) => onExpand(record, e)}
                    >
                      {expanded ? '收起内容' : `查看第 ${record.version} 版内容`}
                    </Button>
                  ),
                  expandedRowRender: (v) => (
                    <pre style={{ maxHeight: 240, overflow: 'auto', margin: 0 }}>
                      {JSON.stringify(v.content, null, 2)}
                    </pre>
                  ),
                }}
                pagination={{
                  current: page,
                  pageSize: HISTORY_PAGE_SIZE,
                  total: history?.total ?? 0,
                  showSizeChanger: false,
                  showTotal: (t) => `共 ${t} 版`,
                  onChange: setPage,
                }}
                columns={[
                  {
                    title: '版本',
                    dataIndex: 'version',
                    render: (n: number) => (
                      <Space size={4}>
                        第 {n} 版{n === current?.version && <Tag color="blue">现行</Tag>}
                      </Space>
                    ),
                  },
                  { title: '生效日期', dataIndex: 'effectiveFrom' },
                  { title: '依据', dataIndex: 'reason' },
                  { title: '调整人', render: (_: unknown, v) => byName(v) },
                  { title: '记录时间', dataIndex: 'recordedAt', render: (t: string) => beijingTime(t) },
                ]}
              />
            ),
          },
          ...(session?.user.role === 'admin'
            ? [
                {
                  key: 'publish',
                  label: '发布新版本',
                  forceRender: true,
                  children: (
                    <Form
                      form={form}
                      layout="vertical"
                      requiredMark={false}
                      initialValues={{ effectiveFrom: dayjs(beijingToday()) }}
                      onFinish={(v) => void publish(v)}
                    >
                      <Typography.Paragraph style={{ color: '#595959' }}>
                        填写新版本的完整内容（已按现行版本预填，修改后发布）。服务器按参数表的规则校验，不合规的内容不会保存。
                      </Typography.Paragraph>
                      {formError && (
                        <Alert
                          type="error"
                          showIcon
                          role="alert"
                          data-testid="policy-error"
                          message={formError}
                          style={{ marginBottom: 16 }}
                        />
                      )}
                      <Form.Item
                        name="content"
                        label="内容（JSON）"
                        rules={[{ required: true, message: '请填写内容' }]}
                      >
                        <Input.TextArea
                          autoSize={{ minRows: 8, maxRows: 24 }}
                          spellCheck={false}
                          style={{ fontFamily: 'monospace' }}
                        />
                      </Form.Item>
                      <Form.Item
                        name="effectiveFrom"
                        label="生效日期（北京时间）"
                        rules={[{ required: true, message: '请选择生效日期' }]}
                      >
                        <DatePicker format="YYYY-MM-DD" allowClear={false} />
                      </Form.Item>
                      <Form.Item
                        name="reason"
                        label="调整依据"
                        rules={[{ required: true, min: 4, message: '请填写调整依据（至少4个字）' }]}
                      >
                        <Input maxLength={500} placeholder="如 根据市人民政府 2027 年第 1 号通知调整" />
                      </Form.Item>
                      <Button type="primary" htmlType="submit" loading={busy}>
                        发布
                      </Button>
                    </Form>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
