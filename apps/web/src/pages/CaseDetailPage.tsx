import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Contrast, RequiredSelect } from './DepartmentFormCard';
import { api, ApiError, openPrintable } from '../api';
import {
  beijingTime,
  CHANNEL_NAMES,
  DEPARTMENT_NAMES,
  label,
  OUTCOME_NAMES,
  REFERRAL_STATUS_NAMES,
  RELATIONSHIP_NAMES,
} from '../labels';
import { useSession } from '../session';
import QueryCodeReissueButton from './QueryCodeReissueButton';
import VerificationRequestButton from './VerificationRequestButton';

interface Referral {
  referralId: string;
  department: string;
  departmentName?: string;
  status: string;
  statusName?: string;
  external?: boolean;
  outcome: string | null;
  amount: number | null;
  reason: string | null;
  declineReason?: string | null;
  updatedAt: string;
}

type NeedAction = 'reroute' | 'report' | 'revoke' | 'external';

const NEED_ACTION_TITLES: Record<NeedAction, string> = {
  reroute: '改派其他部门',
  report: '上报同级政府',
  revoke: '撤回转办',
  external: '登记平台外部门的办理结果',
};

/** A referral still with its department: it can be revoked. */
const OPEN_STATUSES = ['issued', 'received', 'acknowledged', 'accepted', 'declined'];

/** Departments a need can be re-routed to. */
const REROUTE_DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'];

function outcomeText(r: Referral): string {
  if (r.status !== 'completed' || !r.outcome) return '—';
  const amount = r.amount != null ? `，${r.amount.toLocaleString('zh-CN')} 元` : '';
  return `${label(OUTCOME_NAMES, r.outcome)}${amount}${r.reason ? `（${r.reason}）` : ''}`;
}

interface CaseDetail {
  caseId: string;
  caseNumber: string;
  villageCode?: string;
  status: string;
  statusName: string;
  channel: string;
  urgency: string;
  consentToShare: boolean;
  resultNotice: { sms: boolean; email: string | null; text: string } | null;
  household: { name: string; idNumber: string; relationship: string; phone?: string | null }[];
  needs: {
    needId: string;
    category: string;
    categoryName: string;
    description: string;
    requestedAmount?: number;
    referral: Referral | null;
    reportedToGovernment: unknown;
  }[];
  notices: { kind: string; documentNumber: string; at: string }[];
  queryCode: string | null;
  openedAt: string;
  acceptedAt: string | null;
}

const NOTICE_NAMES: Record<string, string> = {
  one_time_notification: '一次性告知书',
  acceptance_notice: '受理通知书',
};

export default function CaseDetailPage() {
  const { id } = useParams();
  const { message } = App.useApp();
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { session } = useSession();
  const isWindow = session?.user.role === 'township_officer';
  const [needAction, setNeedAction] = useState<{
    kind: NeedAction;
    need: CaseDetail['needs'][number];
  } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    api<CaseDetail>('GET', `/cases/${id}`)
      .then((d) => (setCase(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'));
  }, [id]);
  useEffect(load, [load]);

  const accept = async () => {
    setBusy(true);
    try {
      await api('POST', `/cases/${id}/accept`, {});
      message.success('已受理，各项需求已转办');
      load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '受理失败');
    } finally {
      setBusy(false);
    }
  };

  const openNotice = async (documentNumber: string) => {
    try {
      await openPrintable(`/cases/${id}/notices/${encodeURIComponent(documentNumber)}`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '打开失败');
    }
  };

  const startNeedAction = (kind: NeedAction, need: CaseDetail['needs'][number]) => {
    form.resetFields();
    setActionError(null);
    setNeedAction({ kind, need });
  };

  const submitNeedAction = async () => {
    if (!needAction?.need.referral) return;
    const v = await form.validateFields();
    const base = `/cases/${id}/referrals/${needAction.need.referral.referralId}`;
    setBusy(true);
    setActionError(null);
    try {
      const updated =
        needAction.kind === 'reroute'
          ? await api<CaseDetail>('POST', `${base}/reroute`, { department: v.department, reason: v.reason })
          : needAction.kind === 'report'
            ? await api<CaseDetail>('POST', `${base}/reroute`, { reportToGovernment: true, reason: v.reason })
            : needAction.kind === 'revoke'
              ? await api<CaseDetail>('POST', `${base}/revoke`, { reason: v.reason })
              : await api<CaseDetail>('POST', `${base}/external-outcome`, {
                  outcome: v.outcome,
                  note: v.note,
                });
      setCase(updated);
      message.success(
        {
          reroute: '已改派',
          report: '已上报同级政府',
          revoke: '已撤回转办',
          external: '已登记办理结果',
        }[needAction.kind],
      );
      setNeedAction(null);
    } catch (e) {
      setActionError(e instanceof ApiError ? e.message : '操作失败');
    } finally {
      setBusy(false);
    }
  };

  if (error && !c) return <Alert type="error" showIcon message={error} />;
  if (!c) return <Card loading />;
  return (
    <Contrast>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Link to="/workbench/cases">返回待办案件</Link>
        <Card
          title={
            <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
              案件 {c.caseNumber}
            </Typography.Title>
          }
          extra={
            c.status === 'opened' ? (
              <Button type="primary" loading={busy} onClick={accept}>
                受理
              </Button>
            ) : c.villageCode && (isWindow || session?.user.role === 'county_civil_affairs') ? (
              <VerificationRequestButton villageCode={c.villageCode} household={c.household} />
            ) : null
          }
        >
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Descriptions column={{ xs: 1, md: 3 }} bordered size="small">
            <Descriptions.Item label="状态">
              <Tag color={c.status === 'opened' ? 'orange' : 'blue'} data-testid="case-status">
                {c.statusName}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label="来源">{label(CHANNEL_NAMES, c.channel)}</Descriptions.Item>
            <Descriptions.Item label="紧急程度">{c.urgency === 'urgent' ? '紧急' : '一般'}</Descriptions.Item>
            <Descriptions.Item label="登记时间">{beijingTime(c.openedAt)}</Descriptions.Item>
            <Descriptions.Item label="受理时间">{beijingTime(c.acceptedAt)}</Descriptions.Item>
            <Descriptions.Item label="进度查询码">
              <span data-testid="query-code">{c.queryCode ?? '受理后生成'}</span>
              {isWindow && c.queryCode && (
                <QueryCodeReissueButton<CaseDetail> caseId={c.caseId} onReissued={setCase} />
              )}
            </Descriptions.Item>
            <Descriptions.Item label="同意共享信息">{c.consentToShare ? '是' : '否'}</Descriptions.Item>
            <Descriptions.Item label="办理结果通知">
              {c.resultNotice ? `同意（${c.resultNotice.text}）` : '未同意'}
            </Descriptions.Item>
            <Descriptions.Item label="已出具文书（点击打开打印）" span={2}>
              {c.notices.length === 0
                ? '—'
                : c.notices.map((n) => (
                    <Button
                      key={n.documentNumber}
                      type="link"
                      style={{ paddingInline: 0, marginRight: 16 }}
                      onClick={() => openNotice(n.documentNumber)}
                    >
                      {NOTICE_NAMES[n.kind] ?? '告知文书'}（{n.documentNumber}）
                    </Button>
                  ))}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title="求助事项">
          <Table
            rowKey="needId"
            pagination={false}
            dataSource={c.needs}
            columns={[
              { title: '类别', dataIndex: 'categoryName' },
              { title: '情况说明', dataIndex: 'description' },
              {
                title: '申请金额（元）',
                dataIndex: 'requestedAmount',
                render: (a?: number) => (a != null ? a.toLocaleString('zh-CN') : '—'),
              },
              {
                title: '承办部门',
                render: (_: unknown, n) =>
                  n.referral
                    ? (n.referral.departmentName ?? n.referral.department)
                    : n.reportedToGovernment
                      ? '同级政府'
                      : '—',
              },
              {
                title: '办理状态',
                render: (_: unknown, n) =>
                  n.referral ? (
                    <span data-testid={`need-status-${n.needId}`}>
                      {n.referral.statusName ?? label(REFERRAL_STATUS_NAMES, n.referral.status)}
                      {n.referral.declineReason ? `（理由：${n.referral.declineReason}）` : ''}
                    </span>
                  ) : n.reportedToGovernment ? (
                    '已上报政府'
                  ) : c.status === 'opened' ? (
                    '待受理'
                  ) : (
                    '—'
                  ),
              },
              {
                title: '办理结果',
                render: (_: unknown, n) => (n.referral ? outcomeText(n.referral) : '—'),
              },
              { title: '更新时间', render: (_: unknown, n) => beijingTime(n.referral?.updatedAt) },
              {
                title: '操作',
                render: (_: unknown, n) => {
                  const r = n.referral;
                  if (!r || n.reportedToGovernment || !session) return null;
                  return (
                    <Space size={0} wrap>
                      {isWindow && (r.status === 'declined' || r.status === 'returned') && (
                        <>
                          <Button type="link" onClick={() => startNeedAction('reroute', n)}>
                            改派
                          </Button>
                          <Button type="link" onClick={() => startNeedAction('report', n)}>
                            上报政府
                          </Button>
                        </>
                      )}
                      {isWindow && r.external && r.status === 'handed_over' && (
                        <Button type="link" onClick={() => startNeedAction('external', n)}>
                          登记办理结果
                        </Button>
                      )}
                      {OPEN_STATUSES.includes(r.status) &&
                        (isWindow || session.user.role === 'county_civil_affairs') && (
                          <Button type="link" onClick={() => startNeedAction('revoke', n)}>
                            撤回
                          </Button>
                        )}
                    </Space>
                  );
                },
              },
            ]}
          />
        </Card>
        <Modal
          open={needAction !== null}
          title={needAction ? `${NEED_ACTION_TITLES[needAction.kind]} · ${needAction.need.categoryName}` : ''}
          okText="确认提交"
          cancelText="取消"
          okButtonProps={{ loading: busy }}
          onOk={submitNeedAction}
          onCancel={() => setNeedAction(null)}
          destroyOnClose
        >
          {needAction?.kind === 'revoke' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={`撤回后，${needAction.need.referral?.departmentName ?? '承办部门'}不再办理此事项。`}
            />
          )}
          {actionError && <Alert type="error" showIcon message={actionError} style={{ marginBottom: 16 }} />}
          <Form form={form} layout="vertical" preserve={false}>
            {needAction?.kind === 'reroute' && (
              <Form.Item
                name="department"
                label="改派部门"
                rules={[{ required: true, message: '请选择改派的部门' }]}
              >
                <RequiredSelect
                  options={REROUTE_DEPARTMENTS.filter((d) => d !== needAction.need.referral?.department).map(
                    (d) => ({
                      value: d,
                      label: DEPARTMENT_NAMES[d],
                    }),
                  )}
                />
              </Form.Item>
            )}
            {needAction?.kind === 'external' ? (
              <>
                <Form.Item
                  name="outcome"
                  label="办理结果"
                  rules={[{ required: true, message: '请选择办理结果' }]}
                >
                  <RequiredSelect
                    options={[
                      { value: 'granted', label: '给予救助' },
                      { value: 'not_eligible', label: '不符合条件' },
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  name="note"
                  label="办理结果说明"
                  rules={[{ required: true, whitespace: true, message: '请填写说明' }]}
                >
                  <Input.TextArea rows={3} maxLength={1000} />
                </Form.Item>
              </>
            ) : (
              <Form.Item
                name="reason"
                label={
                  needAction?.kind === 'revoke'
                    ? '撤回理由'
                    : needAction?.kind === 'report'
                      ? '上报理由'
                      : '改派理由'
                }
                rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
              >
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            )}
          </Form>
        </Modal>
        <Card title="家庭成员">
          <Table
            rowKey="idNumber"
            pagination={false}
            dataSource={c.household}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              {
                title: '关系',
                dataIndex: 'relationship',
                render: (r: string) => label(RELATIONSHIP_NAMES, r),
              },
              { title: '身份证号码', dataIndex: 'idNumber' },
              { title: '联系电话', dataIndex: 'phone', render: (p?: string | null) => p ?? '—' },
            ]}
          />
        </Card>
      </Space>
    </Contrast>
  );
}
