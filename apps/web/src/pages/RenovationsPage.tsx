import {
  Alert,
  App,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Segmented,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useRecordDrawer, useServerPage } from '../hooks';
import { beijingToday } from '../labels';
import { useSession } from '../session';
import { muted, nowrap, OpenLink, ServerTable, StepForm, TAG, yuan } from '../ui';

const BASE = '/housing/renovations';
const PURPOSE = '农村危房改造办理';

const STATUS_TAG: Record<string, (typeof TAG)[keyof typeof TAG]> = {
  appraised: TAG.open,
  approved: TAG.open,
  started: TAG.waiting,
  completed: TAG.open,
  rectifying: TAG.overdue,
  accepted: TAG.open,
  paid: TAG.done,
  refused: TAG.stopped,
};

interface Row {
  id: string;
  status: string;
  statusName: string;
  headName: string;
  householdSize: number;
  jurisdictionName: string;
  gradeName: string | null;
  approvedYuan: number | null;
  paidYuan: number;
  openedOn: string;
  updatedAt: string;
}

interface Renovation {
  projectId: string;
  status: string;
  statusName: string;
  household: { headName: string; headIdNumber: string; memberIdNumbers: string[]; size: number };
  villageName: string;
  address: string | null;
  categoryName: string;
  appraisal: {
    gradeName: string;
    appraisedOn: string;
    organisation: string;
    reportNumber: string;
    findings: string;
    recordedByName: string;
  };
  refusal: { reasons: string[] } | null;
  approval: {
    measureName: string;
    subsidyYuan: number;
    documentNumber: string;
    approvedByName: string;
    approvedAt: string;
  } | null;
  startedOn: string | null;
  completedOn: string | null;
  inspections: { inspectedOn: string; resultName: string; findings: string }[];
  payment: { amountYuan: number; paymentReference: string; paidOn: string } | null;
}

const dayRules = (label: string) => [{ required: true, message: `请填写${label}` }];
const textRules = (message: string) => [{ required: true, whitespace: true, message }];

/**
 * 农村危房改造项目: every project of the officer's jurisdiction, from the appraisal (registered from a
 * referral) to the subsidy paid — approval, start and completion of the works, the acceptance inspection
 * (failed: rectified and completed again), the payment. Auditors read. The list masks the household; the
 * project's view shows it in full and is recorded in the access log.
 */
export default function RenovationsPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const officer = session?.user.role === 'housing_officer';
  const [status, setStatus] = useState('');
  const [head, setHead] = useState('');
  const list = useServerPage<Row>(BASE, { status, head: head.trim() || undefined });
  const { open, setOpen, show, step, submit } = useRecordDrawer<Renovation>(
    BASE,
    PURPOSE,
    (r) => r.projectId,
    list.reload,
    message.success,
  );

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          农村危房改造
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph style={{ ...muted, margin: 0 }}>
          危房鉴定在“转办事项”中随转办登记；此处办理批准、开工、竣工、验收和补助拨付。
        </Typography.Paragraph>
        <Space wrap>
          <Segmented
            aria-label="按状态筛选项目"
            value={status}
            onChange={(v) => setStatus(String(v))}
            options={[
              { label: '全部', value: '' },
              { label: '待审批', value: 'appraised' },
              { label: '待开工', value: 'approved' },
              { label: '施工中', value: 'started' },
              { label: '待验收', value: 'completed' },
              { label: '整改中', value: 'rectifying' },
              { label: '待拨付', value: 'accepted' },
              { label: '已拨付', value: 'paid' },
              { label: '不予改造', value: 'refused' },
            ]}
          />
          <Input.Search
            aria-label="户主姓名或身份证号码"
            placeholder="户主姓名或身份证号码"
            allowClear
            style={{ width: 260 }}
            onSearch={setHead}
          />
        </Space>
        <ServerTable<Row>
          list={list}
          rowKey="id"
          scrollX={1000}
          empty="暂无危房改造项目"
          columns={[
            {
              title: '户主',
              dataIndex: 'headName',
              render: (n: string, r) => <OpenLink onOpen={() => void show(r.id)}>{n}</OpenLink>,
            },
            { title: '人口', dataIndex: 'householdSize', render: (n: number) => `${n} 人` },
            { title: '所在村（社区）', dataIndex: 'jurisdictionName' },
            {
              title: '鉴定等级',
              dataIndex: 'gradeName',
              render: (g: string | null) => g?.slice(0, 2) ?? '—',
            },
            { title: '批准补助', render: (_: unknown, r) => nowrap(yuan(r.approvedYuan)) },
            {
              title: '状态',
              render: (_: unknown, r) => <Tag style={STATUS_TAG[r.status]}>{r.statusName}</Tag>,
            },
            { title: '鉴定日期', dataIndex: 'openedOn', render: nowrap },
            { title: '最近办理', dataIndex: 'updatedAt', render: nowrap },
          ]}
        />
      </Space>

      <Drawer
        open={open !== null}
        width={680}
        title={open ? `危房改造 · ${open.household.headName}` : '危房改造'}
        onClose={() => setOpen(null)}
        destroyOnClose
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="renovation-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="户主">
                {open.household.headName}（{open.household.headIdNumber}）
              </Descriptions.Item>
              <Descriptions.Item label="家庭成员">
                {open.household.memberIdNumbers.join('、')}
              </Descriptions.Item>
              <Descriptions.Item label="房屋">
                {open.villageName} {open.address}
              </Descriptions.Item>
              <Descriptions.Item label="家庭类别">{open.categoryName}</Descriptions.Item>
              <Descriptions.Item label="鉴定">
                {open.appraisal.gradeName}；{open.appraisal.organisation}，报告 {open.appraisal.reportNumber}
                ，{open.appraisal.appraisedOn}：{open.appraisal.findings}
              </Descriptions.Item>
              {open.refusal && (
                <Descriptions.Item label="不予改造">{open.refusal.reasons.join('；')}</Descriptions.Item>
              )}
              {open.approval && (
                <Descriptions.Item label="批准">
                  {open.approval.measureName}，补助 {yuan(open.approval.subsidyYuan)}，批准文号{' '}
                  {open.approval.documentNumber}（{open.approval.approvedByName} {open.approval.approvedAt}）
                </Descriptions.Item>
              )}
              {open.startedOn && <Descriptions.Item label="开工">{open.startedOn}</Descriptions.Item>}
              {open.completedOn && <Descriptions.Item label="竣工">{open.completedOn}</Descriptions.Item>}
              {open.inspections.map((i, n) => (
                <Descriptions.Item key={n} label={`第 ${n + 1} 次验收`}>
                  {i.inspectedOn} {i.resultName}：{i.findings}
                </Descriptions.Item>
              ))}
              {open.payment && (
                <Descriptions.Item label="拨付">
                  <span data-testid="renovation-paid">{yuan(open.payment.amountYuan)}</span>，凭证{' '}
                  {open.payment.paymentReference}，{open.payment.paidOn}
                </Descriptions.Item>
              )}
            </Descriptions>
            {officer && open.status === 'appraised' && (
              <StepForm<{ documentNumber: string }>
                name="renovation-approve"
                title="批准改造"
                submitText="批准改造"
                busy={submit.busy}
                onFinish={(v) =>
                  void step('/approval', { documentNumber: v.documentNumber.trim() }, '已批准改造')
                }
              >
                <Form.Item name="documentNumber" label="批准文号" rules={textRules('请填写批准文号')}>
                  <Input maxLength={60} />
                </Form.Item>
              </StepForm>
            )}
            {officer && open.status === 'approved' && (
              <StepForm<{ startedOn: string }>
                name="renovation-start"
                title="登记开工"
                submitText="登记开工"
                busy={submit.busy}
                initialValues={{ startedOn: beijingToday() }}
                onFinish={(v) => void step('/start', { startedOn: v.startedOn }, '已登记开工')}
              >
                <Form.Item name="startedOn" label="开工日期" rules={dayRules('开工日期')}>
                  <Input type="date" style={{ width: 200 }} />
                </Form.Item>
              </StepForm>
            )}
            {officer && (open.status === 'started' || open.status === 'rectifying') && (
              <StepForm<{ completedOn: string }>
                name="renovation-complete"
                title={open.status === 'rectifying' ? '整改完成，登记竣工' : '登记竣工'}
                submitText="登记竣工"
                busy={submit.busy}
                initialValues={{ completedOn: beijingToday() }}
                onFinish={(v) => void step('/completion', { completedOn: v.completedOn }, '已登记竣工')}
              >
                <Form.Item name="completedOn" label="竣工日期" rules={dayRules('竣工日期')}>
                  <Input type="date" style={{ width: 200 }} />
                </Form.Item>
              </StepForm>
            )}
            {officer && open.status === 'completed' && (
              <StepForm<{ inspectedOn: string; passed: boolean; inspectors: string; findings: string }>
                name="renovation-accept"
                title="竣工验收"
                submitText="登记验收结果"
                busy={submit.busy}
                initialValues={{ inspectedOn: beijingToday(), passed: true }}
                onFinish={(v) =>
                  void step(
                    '/acceptance',
                    {
                      inspectedOn: v.inspectedOn,
                      passed: v.passed,
                      inspectors: v.inspectors
                        .split(/[、，,\s]+/)
                        .map((x) => x.trim())
                        .filter(Boolean),
                      findings: v.findings.trim(),
                    },
                    v.passed ? '验收合格，待拨付补助' : '验收不合格，已转整改',
                  )
                }
              >
                <Space wrap size="middle" align="start">
                  <Form.Item name="inspectedOn" label="验收日期" rules={dayRules('验收日期')}>
                    <Input type="date" style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name="passed" label="验收结论">
                    <Radio.Group
                      options={[
                        { value: true, label: '合格' },
                        { value: false, label: '不合格，整改' },
                      ]}
                    />
                  </Form.Item>
                </Space>
                <Form.Item
                  name="inspectors"
                  label="验收人员（以顿号分隔，不少于2人）"
                  rules={textRules('请填写验收人员')}
                >
                  <Input maxLength={200} placeholder="如：张工、李工" />
                </Form.Item>
                <Form.Item name="findings" label="验收意见" rules={textRules('请填写验收意见')}>
                  <Input.TextArea rows={2} maxLength={1000} />
                </Form.Item>
              </StepForm>
            )}
            {officer && open.status === 'accepted' && (
              <StepForm<{ paymentReference: string; paidOn: string }>
                name="renovation-pay"
                title={`拨付补助 ${yuan(open.approval?.subsidyYuan)}`}
                submitText="登记拨付"
                busy={submit.busy}
                initialValues={{ paidOn: beijingToday() }}
                onFinish={(v) =>
                  void step(
                    '/payment',
                    { paymentReference: v.paymentReference.trim(), paidOn: v.paidOn },
                    '已登记补助拨付',
                  )
                }
              >
                <Space wrap size="middle" align="start">
                  <Form.Item name="paymentReference" label="拨付凭证号" rules={textRules('请填写拨付凭证号')}>
                    <Input maxLength={60} />
                  </Form.Item>
                  <Form.Item name="paidOn" label="拨付日期" rules={dayRules('拨付日期')}>
                    <Input type="date" style={{ width: 200 }} />
                  </Form.Item>
                </Space>
              </StepForm>
            )}
            {submit.error && <Alert type="error" showIcon role="alert" message={submit.error} />}
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
