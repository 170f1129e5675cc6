import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Page } from '../api';
import { DEPARTMENT_NAMES } from '../labels';
import { useSession } from '../session';

interface ReportRow {
  caseId: string;
  caseNumber: string;
  needId: string;
  category: string;
  categoryName: string;
  governmentName: string;
  townshipName: string | null;
  reason: string;
  reportedAtBeijing: string;
  respondByBeijing: string | null;
  status: 'awaiting' | 'overdue' | 'responded';
  statusName: string;
  response: {
    decision: string;
    responsibleDepartment: string | null;
    responsibleDepartmentName: string | null;
    amount: number | null;
    followUp: string | null;
    byName: string;
    atBeijing: string;
  } | null;
}

interface ResponseForm {
  decision: string;
  responsibleDepartment?: string;
  amount?: number | null;
  followUp?: string;
}

const PAGE_SIZE = 20;
const nowrap = (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{t}</span>;
// The server's reason may quote the category's code (“other”类需求…): show its Chinese name instead.
const reasonOf = (r: ReportRow) => r.reason.replaceAll(`“${r.category}”`, `“${r.categoryName}”`);
// Darker than antd's presets so the text keeps a 4.5:1 contrast (axe color-contrast).
const STATUS_STYLES = {
  awaiting: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  overdue: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  responded: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
} as const;
const RESPONSIBLE = ['civil-affairs', 'health', 'housing', 'education'];

export default function GovernmentReportsPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const canRespond = session?.user.role === 'government_liaison';
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ReportRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<ReportRow | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    api<Page<ReportRow>>('GET', `/government/reports?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => setLoading(false));
  }, [page, status]);
  useEffect(load, [load]);

  const show = (r: ReportRow) => {
    setOpen(r);
    setFormError(null);
  };

  const submit = async (v: ResponseForm) => {
    if (!open) return;
    setBusy(true);
    setFormError(null);
    try {
      const body = {
        decision: v.decision.trim(),
        ...(v.responsibleDepartment ? { responsibleDepartment: v.responsibleDepartment } : {}),
        ...(v.amount != null ? { amount: v.amount } : {}),
        ...(v.followUp?.trim() ? { followUp: v.followUp.trim() } : {}),
      };
      const updated = await api<ReportRow>(
        'POST',
        `/government/reports/${open.caseId}/${encodeURIComponent(open.needId)}/response`,
        body,
      );
      message.success('已登记政府处理结果');
      setOpen(updated);
      load();
    } catch (e) {
      const err = e instanceof ApiError ? e : null;
      const fields = err?.fields?.map((f) => f.problems.join('；')).join('；');
      setFormError(err ? (fields ? `${err.message}（${fields}）` : err.message) : '提交失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          上报事项{canRespond ? '' : '（只读）'}
        </Typography.Title>
      }
    >
      <style>{'.gov-overdue > td { background: #fff1f0 !important; }'}</style>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Segmented
          aria-label="按状态筛选"
          value={status}
          onChange={(v) => {
            setStatus(String(v));
            setPage(1);
          }}
          options={[
            { label: '全部', value: '' },
            { label: '逾期未回复', value: 'overdue' },
            { label: '待政府回复', value: 'awaiting' },
            { label: '政府已处理', value: 'responded' },
          ]}
        />
        {error && <Alert type="error" showIcon message={error} />}
        <Table<ReportRow>
          rowKey={(r) => `${r.caseId}/${r.needId}`}
          loading={loading}
          dataSource={data?.items ?? []}
          rowClassName={(r) => (r.status === 'overdue' ? 'gov-overdue' : '')}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 项`,
            onChange: setPage,
          }}
          columns={[
            {
              title: '案件编号',
              dataIndex: 'caseNumber',
              render: (n: string, r) => (
                <Button type="link" style={{ padding: 0, whiteSpace: 'nowrap' }} onClick={() => show(r)}>
                  {n}
                </Button>
              ),
            },
            { title: '求助类别', dataIndex: 'categoryName' },
            { title: '上报乡镇（街道）', dataIndex: 'townshipName', render: (t: string | null) => t ?? '—' },
            { title: '上报政府', dataIndex: 'governmentName' },
            { title: '上报原因', render: (_: unknown, r) => reasonOf(r) },
            { title: '上报时间', dataIndex: 'reportedAtBeijing', render: nowrap },
            {
              title: '回复期限',
              dataIndex: 'respondByBeijing',
              render: (t: string | null) => nowrap(t ?? '—'),
            },
            {
              title: '状态',
              dataIndex: 'statusName',
              render: (s: string, r) => <Tag style={STATUS_STYLES[r.status]}>{s}</Tag>,
            },
            {
              title: '操作',
              render: (_: unknown, r) =>
                canRespond && r.status !== 'responded' ? (
                  <Button size="small" type="primary" onClick={() => show(r)}>
                    登记处理结果
                  </Button>
                ) : (
                  <Button size="small" onClick={() => show(r)}>
                    查看
                  </Button>
                ),
            },
          ]}
        />
      </Space>
      <Drawer
        open={open !== null}
        width={560}
        title={open ? `上报事项 · 案件 ${open.caseNumber}` : '上报事项'}
        onClose={() => setOpen(null)}
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="report-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="求助类别">{open.categoryName}</Descriptions.Item>
              <Descriptions.Item label="上报乡镇（街道）">{open.townshipName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="上报政府">{open.governmentName}</Descriptions.Item>
              <Descriptions.Item label="上报原因">{reasonOf(open)}</Descriptions.Item>
              <Descriptions.Item label="上报时间">{open.reportedAtBeijing}</Descriptions.Item>
              <Descriptions.Item label="回复期限">{open.respondByBeijing ?? '—'}</Descriptions.Item>
            </Descriptions>
            {open.response ? (
              <Descriptions column={1} bordered size="small" title="政府处理结果">
                <Descriptions.Item label="处理决定">{open.response.decision}</Descriptions.Item>
                <Descriptions.Item label="责任部门">
                  {open.response.responsibleDepartmentName ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label="救助金额（元）">
                  {open.response.amount != null ? open.response.amount.toLocaleString('zh-CN') : '—'}
                </Descriptions.Item>
                <Descriptions.Item label="后续跟进">{open.response.followUp ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="登记人">
                  {open.response.byName}（{open.response.atBeijing}）
                </Descriptions.Item>
              </Descriptions>
            ) : canRespond ? (
              <Form<ResponseForm>
                key={`${open.caseId}/${open.needId}`}
                layout="vertical"
                onFinish={submit}
                disabled={busy}
              >
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  登记处理结果
                </Typography.Title>
                <Form.Item
                  name="decision"
                  label="处理决定"
                  rules={[{ required: true, whitespace: true, message: '请填写政府的处理决定' }]}
                >
                  <Input.TextArea rows={3} maxLength={2000} />
                </Form.Item>
                <Form.Item name="responsibleDepartment" label="责任部门">
                  <Select
                    allowClear
                    placeholder="请选择（可不填）"
                    options={RESPONSIBLE.map((d) => ({ value: d, label: DEPARTMENT_NAMES[d] }))}
                  />
                </Form.Item>
                <Form.Item name="amount" label="救助金额（元）">
                  <InputNumber min={0} max={10_000_000} precision={2} style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item name="followUp" label="后续跟进">
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
                {formError && (
                  <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} />
                )}
                <Button type="primary" htmlType="submit" loading={busy}>
                  提交处理结果
                </Button>
              </Form>
            ) : (
              <Alert type="info" showIcon message="政府尚未登记处理结果" />
            )}
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
