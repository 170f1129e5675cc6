import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Contrast, RequiredSelect, TONES } from './DepartmentFormCard';
import { api, ApiError, type Page } from '../api';
import { label, RELATIONSHIP_NAMES } from '../labels';
import { useSession } from '../session';

interface VerificationItem {
  verificationId: string;
  villageName: string;
  memberCount: number;
  requestedBy: string | { name: string } | null;
  requestedAtBeijing: string;
  dueAtBeijing: string;
  pendingNames: string[];
  overdueNames: string[];
  answeredNames: string[];
}

interface DepartmentLine {
  department: string;
  departmentName: string;
  onPlatform: boolean;
  status: 'answered' | 'pending' | 'overdue';
  statusName: string;
  summary: string | null;
  answeredAt: string | null;
  source: 'platform' | 'import' | null;
  corrections: number;
  late: boolean;
}

interface Report {
  verificationId: string;
  place: { fullName: string };
  members: { name: string; idNumber: string; relationship: string }[];
  authorisation: { reference: string; signedOn: string };
  requestedBy: { name: string } | null;
  requestedAtBeijing: string;
  dueAtBeijing: string;
  complete: boolean;
  departments: DepartmentLine[];
}

/** Departments not on the platform whose answer files county civil affairs imports. */
const EXTERNAL_DEPARTMENTS: Record<string, string> = {
  'human-resources': '人力资源和社会保障部门',
  'market-regulation': '市场监督管理部门',
  'public-security': '公安部门（车辆）',
  'real-estate': '不动产登记机构',
  banks: '银行等金融机构',
  'housing-fund': '住房公积金管理中心',
  tax: '税务部门',
};

const FILE_HEADER = '身份证号码,项目,金额（元）,说明';
const PAGE_SIZE = 20;

const STATUS_TONES = { answered: 'green', pending: 'blue', overdue: 'red' } as const;

/**
 * 家庭经济状况核对: the requests of the officer's jurisdiction and each department's answer. Departments on the
 * platform answer from their own registers; county civil affairs records the answer files of departments not
 * on it (不动产、银行…).
 */
export default function VerificationPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const canImport = session?.user.role === 'county_civil_affairs';
  const [pendingOnly, setPendingOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<VerificationItem> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ department: string; file: string }>();

  const loadList = useCallback(() => {
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (pendingOnly) q.set('pending', 'true');
    api<Page<VerificationItem>>('GET', `/civil-affairs/verifications?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => setLoading(false));
  }, [page, pendingOnly]);
  useEffect(loadList, [loadList]);

  const open = (id: string) => {
    setOpenId(id);
    setReport(null);
    api<Report>('GET', `/civil-affairs/verifications/${id}?purpose=${encodeURIComponent('家庭经济状况核对')}`)
      .then(setReport)
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'));
  };

  const submitImport = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setImportError(null);
    try {
      const r = await api<Report>('POST', `/civil-affairs/verifications/${openId}/answers/import`, v);
      setReport(r);
      setImporting(false);
      message.success(`已登记${EXTERNAL_DEPARTMENTS[v.department]}的回复`);
      loadList();
    } catch (e) {
      setImportError(e instanceof ApiError ? e.message : '登记失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Contrast>
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            家庭经济状况核对
          </Typography.Title>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space>
            <Switch
              id="pending-only"
              checked={pendingOnly}
              onChange={(v) => {
                setPendingOnly(v);
                setPage(1);
              }}
            />
            <label htmlFor="pending-only">只看尚有部门未回复的</label>
          </Space>
          {error && <Alert type="error" showIcon message={error} />}
          <Table<VerificationItem>
            rowKey="verificationId"
            loading={loading}
            dataSource={data?.items ?? []}
            scroll={{ x: 900 }}
            onRow={(r) => ({ onClick: () => open(r.verificationId), style: { cursor: 'pointer' } })}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (t) => `共 ${t} 件`,
              onChange: setPage,
            }}
            columns={[
              {
                title: '发起时间',
                dataIndex: 'requestedAtBeijing',
                render: (t: string, r) => (
                  <Button type="link" style={{ padding: 0 }} onClick={() => open(r.verificationId)}>
                    {t}
                  </Button>
                ),
              },
              { title: '所在村（社区）', dataIndex: 'villageName' },
              { title: '核对人数', dataIndex: 'memberCount' },
              { title: '回复期限', dataIndex: 'dueAtBeijing' },
              {
                title: '已回复',
                render: (_: unknown, r) => r.answeredNames.join('、') || '—',
              },
              {
                title: '未回复',
                render: (_: unknown, r) => (
                  <Space size={4} wrap>
                    {r.pendingNames
                      .filter((n) => !r.overdueNames.includes(n))
                      .map((n) => (
                        <Tag key={n}>{n}</Tag>
                      ))}
                    {r.overdueNames.map((n) => (
                      <Tag key={n} style={TONES.red}>
                        {n}（逾期）
                      </Tag>
                    ))}
                    {r.pendingNames.length === 0 && '—'}
                  </Space>
                ),
              },
            ]}
          />
        </Space>
        <Drawer
          open={openId !== null}
          width={760}
          title="核对报告"
          onClose={() => setOpenId(null)}
          styles={{ body: { padding: 0, overflow: 'hidden' } }}
          extra={
            canImport &&
            report && (
              <Button
                type="primary"
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue({ file: `${FILE_HEADER}\n` });
                  setImportError(null);
                  setImporting(true);
                }}
              >
                登记未接入平台部门的回复
              </Button>
            )
          }
        >
          <div
            tabIndex={0}
            role="region"
            aria-label="核对报告内容"
            style={{ height: '100%', overflow: 'auto', padding: 24 }}
          >
            {!report ? (
              <Card loading bordered={false} />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }} size="large">
                <Descriptions column={1} bordered size="small">
                  <Descriptions.Item label="核对状态">
                    <span data-testid="verification-complete">
                      {report.complete ? '各部门均已回复' : '尚有部门未回复'}
                    </span>
                  </Descriptions.Item>
                  <Descriptions.Item label="所在村（社区）">{report.place.fullName}</Descriptions.Item>
                  <Descriptions.Item label="核对对象">
                    {report.members
                      .map((m) => `${m.name}（${label(RELATIONSHIP_NAMES, m.relationship)}）${m.idNumber}`)
                      .join('；')}
                  </Descriptions.Item>
                  <Descriptions.Item label="核对授权书">
                    {report.authorisation.reference}（{report.authorisation.signedOn} 签署）
                  </Descriptions.Item>
                  <Descriptions.Item label="发起">
                    {report.requestedAtBeijing} {report.requestedBy?.name ?? ''}
                  </Descriptions.Item>
                  <Descriptions.Item label="回复期限">{report.dueAtBeijing}</Descriptions.Item>
                </Descriptions>
                <Table<DepartmentLine>
                  rowKey="department"
                  pagination={false}
                  dataSource={report.departments}
                  scroll={{ x: 640 }}
                  columns={[
                    { title: '部门', dataIndex: 'departmentName' },
                    {
                      title: '状态',
                      render: (_: unknown, d) => (
                        <Space size={4}>
                          <Tag style={TONES[STATUS_TONES[d.status]]}>{d.statusName}</Tag>
                          {d.late && <Tag style={TONES.orange}>逾期后回复</Tag>}
                        </Space>
                      ),
                    },
                    { title: '回复内容', render: (_: unknown, d) => d.summary ?? '—' },
                    {
                      title: '来源',
                      render: (_: unknown, d) =>
                        d.source === 'import'
                          ? '回复文件导入'
                          : d.source === 'platform'
                            ? '部门平台回复'
                            : '—',
                    },
                    {
                      title: '回复时间',
                      render: (_: unknown, d) =>
                        d.answeredAt
                          ? new Intl.DateTimeFormat('zh-CN', {
                              timeZone: 'Asia/Shanghai',
                              dateStyle: 'short',
                              timeStyle: 'short',
                              hour12: false,
                            }).format(new Date(d.answeredAt))
                          : '—',
                    },
                  ]}
                />
              </Space>
            )}
          </div>
        </Drawer>
        <Modal
          open={importing}
          title="登记未接入平台部门的回复"
          okText="确认登记"
          cancelText="取消"
          okButtonProps={{ loading: busy }}
          onOk={submitImport}
          onCancel={() => setImporting(false)}
          width={640}
        >
          {importError && <Alert type="error" showIcon message={importError} style={{ marginBottom: 16 }} />}
          <Form form={form} layout="vertical">
            <Form.Item
              name="department"
              label="回复部门"
              rules={[{ required: true, message: '请选择回复部门' }]}
            >
              <RequiredSelect
                options={Object.entries(EXTERNAL_DEPARTMENTS).map(([value, text]) => ({
                  value,
                  label: text,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="file"
              label="回复内容（每行一项：身份证号码,项目,金额（元）,说明；无记录时只保留首行）"
              rules={[{ required: true, message: '请填写回复内容' }]}
            >
              <Input.TextArea rows={6} />
            </Form.Item>
          </Form>
        </Modal>
      </Card>
    </Contrast>
  );
}
