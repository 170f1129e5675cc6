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
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Contrast, RequiredSelect, TONES } from './DepartmentFormCard';
import { api, ApiError, type Page } from '../api';
import {
  beijingTime,
  CATEGORY_NAMES,
  DEPARTMENT_NAMES,
  label,
  OUTCOME_NAMES,
  RELATIONSHIP_NAMES,
} from '../labels';

export interface ReferralRow {
  referralId: string;
  caseNumber: string;
  category: string;
  status: string;
  statusName: string;
  urgency: string;
  description: string;
  requestedAmount: number | null;
  applicant: { name: string; idNumber: string; phone: string | null };
  receivedAt: string;
  acknowledgeBy: string | null;
  decideBy: string | null;
  overdue: string[];
  outcome: string | null;
  amount: number | null;
  service: string | null;
  reason: string | null;
  transferredToName?: string | null;
}

export interface ReferralDetail extends ReferralRow {
  villageCode: string | null;
  villageName?: string | null;
  jurisdiction: string;
  members: { name: string; idNumber: string; relationship: string; phone?: string | null }[] | null;
  windowOfficer: { name: string; phone: string | null } | null;
  history: { at: string; step: string; officer: string | null; detail: string | null }[];
}

/** What a department's own form found (a computed amount, a service), offered when the referral is closed. */
export interface Suggestion {
  amount?: number | null;
  service?: string | null;
}

/** A department's own forms beside the referral (medical claims, house renovation, student aid). */
export type DepartmentForms = (props: {
  detail: ReferralDetail;
  suggest: (s: Suggestion) => void;
}) => ReactNode;

type Action = 'decline' | 'progress' | 'complete' | 'transfer' | 'reopen';

const ACTION_TITLES: Record<Action, string> = {
  decline: '不予受理',
  progress: '登记办理进展',
  complete: '办结',
  transfer: '移交其他部门',
  reopen: '重新办理',
};

/** Departments that handle referrals on the platform. */
const REFERRAL_DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'];

const PAGE_SIZE = 20;

/**
 * A department's referral inbox: the referrals sent to it, and the steps from acknowledgement to a recorded
 * outcome (签收、受理或不予受理、办理进展、办结、移交、重新办理). Health, housing and education share it.
 */
export default function DepartmentInboxPage({
  department,
  forms: Forms,
}: {
  department: 'health' | 'housing' | 'education';
  forms?: DepartmentForms;
}) {
  const { message } = App.useApp();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ReferralRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<Suggestion>({});
  const [form] = Form.useForm();
  const departmentName = DEPARTMENT_NAMES[department];

  const loadList = useCallback(() => {
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    api<Page<ReferralRow>>('GET', `/${department}/referrals?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => setLoading(false));
  }, [page, status, department]);
  useEffect(loadList, [loadList]);

  const open = useCallback(
    (id: string) => {
      setOpenId(id);
      setDetail(null);
      setSuggestion({});
      api<ReferralDetail>('GET', `/${department}/referrals/${id}`)
        .then(setDetail)
        .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'));
    },
    [department],
  );

  /** Posts an action, then reads the referral again until the read model shows the step. */
  const post = async (path: string, body: unknown, done: string) => {
    // A progress note keeps the status: its step shows in the history instead.
    const changesStatus = path !== 'progress';
    if (!openId) return;
    const before = detail;
    await api('POST', `/${department}/referrals/${openId}/${path}`, body);
    message.success(done);
    for (let i = 0; i < 20; i++) {
      const d = await api<ReferralDetail>('GET', `/${department}/referrals/${openId}`);
      const shown = changesStatus ? d.status !== before?.status : d.history.length !== before?.history.length;
      if (shown || i === 19) {
        setDetail(d);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    loadList();
  };

  const act = async (path: 'acknowledge' | 'accept', done: string) => {
    setBusy(true);
    try {
      await post(path, {}, done);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    } finally {
      setBusy(false);
    }
  };

  const startAction = (a: Action) => {
    form.resetFields();
    if (a === 'complete')
      form.setFieldsValue({
        outcome: 'granted',
        amount: suggestion.amount ?? undefined,
        service: suggestion.service ?? undefined,
      });
    setActionError(null);
    setAction(a);
  };

  const submitAction = async () => {
    if (!action) return;
    const v = await form.validateFields();
    setBusy(true);
    setActionError(null);
    try {
      if (action === 'decline') await post('decline', { reason: v.reason }, '已不予受理，退回受理窗口');
      if (action === 'progress') await post('progress', { note: v.note }, '已登记办理进展');
      if (action === 'reopen') await post('reopen', { note: v.note }, '已重新办理');
      if (action === 'transfer')
        await post('transfer', { toDepartment: v.toDepartment, reason: v.reason }, '已移交');
      if (action === 'complete')
        await post(
          'complete',
          {
            outcome: v.outcome,
            ...(v.amount != null ? { amount: v.amount } : {}),
            ...(v.service ? { service: v.service } : {}),
            ...(v.reason ? { reason: v.reason } : {}),
          },
          '已办结',
        );
      setAction(null);
    } catch (e) {
      setActionError(e instanceof ApiError ? e.message : '操作失败');
    } finally {
      setBusy(false);
    }
  };

  const outcome = Form.useWatch('outcome', form) as string | undefined;

  return (
    <Contrast>
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            转办事项（{departmentName}）
          </Typography.Title>
        }
      >
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
              { label: '待签收', value: 'received' },
              { label: '已签收', value: 'acknowledged' },
              { label: '已受理', value: 'accepted' },
              { label: '已办结', value: 'completed' },
              { label: '不予受理', value: 'declined' },
              { label: '已移交', value: 'transferred' },
            ]}
          />
          {error && <Alert type="error" showIcon message={error} />}
          <Table<ReferralRow>
            rowKey="referralId"
            loading={loading}
            dataSource={data?.items ?? []}
            scroll={{ x: 900 }}
            onRow={(r) => ({ onClick: () => open(r.referralId), style: { cursor: 'pointer' } })}
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
                title: '案件编号',
                dataIndex: 'caseNumber',
                render: (n: string, r) => (
                  <Button type="link" style={{ padding: 0 }} onClick={() => open(r.referralId)}>
                    {n}
                  </Button>
                ),
              },
              { title: '求助类别', dataIndex: 'category', render: (c: string) => label(CATEGORY_NAMES, c) },
              { title: '申请人', render: (_: unknown, r) => r.applicant?.name ?? '—' },
              {
                title: '紧急程度',
                dataIndex: 'urgency',
                render: (u: string) => (u === 'urgent' ? <Tag style={TONES.red}>紧急</Tag> : <Tag>一般</Tag>),
              },
              {
                title: '状态',
                render: (_: unknown, r) => (
                  <Space size={4}>
                    <Tag style={TONES.blue}>{r.statusName}</Tag>
                    {r.overdue.length > 0 && <Tag style={TONES.red}>已逾期</Tag>}
                  </Space>
                ),
              },
              { title: '收到时间', dataIndex: 'receivedAt', render: (t: string) => beijingTime(t) },
              { title: '签收期限', dataIndex: 'acknowledgeBy', render: (t: string | null) => beijingTime(t) },
            ]}
          />
        </Space>
        <Drawer
          open={openId !== null}
          width={640}
          title={detail ? `案件 ${detail.caseNumber}` : '转办事项'}
          onClose={() => setOpenId(null)}
          styles={{ body: { padding: 0, overflow: 'hidden' } }}
          extra={
            detail && (
              <Space wrap>
                {detail.status === 'received' && (
                  <Button type="primary" loading={busy} onClick={() => act('acknowledge', '已签收')}>
                    签收
                  </Button>
                )}
                {detail.status === 'acknowledged' && (
                  <>
                    <Button type="primary" loading={busy} onClick={() => act('accept', '已受理')}>
                      受理
                    </Button>
                    <Button onClick={() => startAction('decline')}>不予受理</Button>
                  </>
                )}
                {detail.status === 'accepted' && (
                  <>
                    <Button type="primary" onClick={() => startAction('complete')}>
                      办结
                    </Button>
                    <Button onClick={() => startAction('progress')}>登记办理进展</Button>
                    <Button onClick={() => startAction('transfer')}>移交其他部门</Button>
                  </>
                )}
                {detail.status === 'completed' && (
                  <Button onClick={() => startAction('reopen')}>重新办理</Button>
                )}
              </Space>
            )
          }
        >
          <div
            tabIndex={0}
            role="region"
            aria-label="转办事项详情"
            style={{ height: '100%', overflow: 'auto', padding: 24 }}
          >
            {!detail ? (
              <Card loading bordered={false} />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }} size="large">
                <Descriptions column={1} bordered size="small">
                  <Descriptions.Item label="状态">
                    <span data-testid="referral-status">{detail.statusName}</span>
                  </Descriptions.Item>
                  {detail.outcome && (
                    <Descriptions.Item label="办理结果">
                      <span data-testid="referral-outcome">
                        {label(OUTCOME_NAMES, detail.outcome)}
                        {detail.amount != null
                          ? `，救助金额 ${detail.amount.toLocaleString('zh-CN')} 元`
                          : ''}
                        {detail.service ? `，${detail.service}` : ''}
                        {detail.reason ? `（${detail.reason}）` : ''}
                      </span>
                    </Descriptions.Item>
                  )}
                  {detail.transferredToName && (
                    <Descriptions.Item label="移交至">{detail.transferredToName}</Descriptions.Item>
                  )}
                  <Descriptions.Item label="求助类别">
                    {label(CATEGORY_NAMES, detail.category)}
                  </Descriptions.Item>
                  <Descriptions.Item label="困难情况">{detail.description}</Descriptions.Item>
                  <Descriptions.Item label="申请金额（元）">
                    {detail.requestedAmount != null ? detail.requestedAmount.toLocaleString('zh-CN') : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label="所在村（社区）">{detail.villageName ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label="申请人">
                    {detail.applicant
                      ? `${detail.applicant.name}（${detail.applicant.idNumber}）${detail.applicant.phone ?? ''}`
                      : '未同意共享'}
                  </Descriptions.Item>
                  <Descriptions.Item label="受理窗口">
                    {detail.windowOfficer
                      ? `${detail.windowOfficer.name} ${detail.windowOfficer.phone ?? ''}`
                      : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label="签收期限">{beijingTime(detail.acknowledgeBy)}</Descriptions.Item>
                  <Descriptions.Item label="决定期限">{beijingTime(detail.decideBy)}</Descriptions.Item>
                </Descriptions>
                {Forms && detail.status === 'accepted' && (
                  <Forms detail={detail} suggest={(s) => setSuggestion((x) => ({ ...x, ...s }))} />
                )}
                <div>
                  <Typography.Title level={2} style={{ fontSize: 16 }}>
                    所涉家庭成员
                  </Typography.Title>
                  {(detail.members ?? []).map((m) => (
                    <div key={m.idNumber}>
                      {m.name}（{label(RELATIONSHIP_NAMES, m.relationship)}）{m.idNumber}
                    </div>
                  ))}
                </div>
                <div>
                  <Typography.Title level={2} style={{ fontSize: 16 }}>
                    办理记录
                  </Typography.Title>
                  <Timeline
                    items={detail.history.map((h) => ({
                      children: `${h.at} ${h.step}${h.officer ? `（${h.officer}）` : ''}${h.detail ? `：${h.detail}` : ''}`,
                    }))}
                  />
                </div>
              </Space>
            )}
          </div>
        </Drawer>
        <Modal
          open={action !== null}
          title={action ? ACTION_TITLES[action] : ''}
          okText="确认提交"
          cancelText="取消"
          okButtonProps={{ loading: busy }}
          onOk={submitAction}
          onCancel={() => setAction(null)}
          destroyOnClose
        >
          {actionError && <Alert type="error" showIcon message={actionError} style={{ marginBottom: 16 }} />}
          <Form form={form} layout="vertical" preserve={false}>
            {action === 'decline' && (
              <>
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  message="不予受理后，事项退回受理窗口重新转办或上报同级政府。"
                />
                <Form.Item
                  name="reason"
                  label="不予受理理由"
                  rules={[{ required: true, whitespace: true, message: '请填写不予受理的理由' }]}
                >
                  <Input.TextArea rows={3} maxLength={1000} />
                </Form.Item>
              </>
            )}
            {(action === 'progress' || action === 'reopen') && (
              <Form.Item
                name="note"
                label={action === 'progress' ? '办理进展' : '重新办理的原因'}
                rules={[{ required: true, whitespace: true, message: '请填写说明' }]}
              >
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            )}
            {action === 'transfer' && (
              <>
                <Form.Item
                  name="toDepartment"
                  label="移交部门"
                  rules={[{ required: true, message: '请选择移交的部门' }]}
                >
                  <RequiredSelect
                    options={REFERRAL_DEPARTMENTS.filter((d) => d !== department).map((d) => ({
                      value: d,
                      label: DEPARTMENT_NAMES[d],
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name="reason"
                  label="移交理由"
                  rules={[{ required: true, whitespace: true, message: '请填写移交理由' }]}
                >
                  <Input.TextArea rows={3} maxLength={1000} />
                </Form.Item>
              </>
            )}
            {action === 'complete' && (
              <>
                <Form.Item
                  name="outcome"
                  label="办理结果"
                  rules={[{ required: true, message: '请选择办理结果' }]}
                >
                  <RequiredSelect
                    options={Object.entries(OUTCOME_NAMES).map(([value, text]) => ({ value, label: text }))}
                  />
                </Form.Item>
                {outcome === 'granted' && (
                  <>
                    <Form.Item name="amount" label="救助金额（元）">
                      <InputNumber min={0} precision={2} style={{ width: '100%' }} />
                    </Form.Item>
                    <Form.Item name="service" label="服务内容">
                      <Input maxLength={500} />
                    </Form.Item>
                  </>
                )}
                {outcome && outcome !== 'granted' && (
                  <Form.Item
                    name="reason"
                    label={outcome === 'returned' ? '退回理由' : '不符合条件的理由'}
                    rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
                  >
                    <Input.TextArea rows={3} maxLength={1000} />
                  </Form.Item>
                )}
              </>
            )}
          </Form>
        </Modal>
      </Card>
    </Contrast>
  );
}
