import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { usePlaces, useRecordDrawer, useServerPage } from '../hooks';
import { beijingToday } from '../labels';
import { ID_LIST_RULE, idNumbersIn } from '../resident-id';
import { useSession } from '../session';
import { FormDialog, muted, nowrap, OpenLink, ServerTable, StepForm, TAG, yuan } from '../ui';
import { RequiredSelect } from './DepartmentFormCard';
import {
  HOUSING_CATEGORIES,
  HouseholdAtHome,
  householdAtHome,
  type HouseholdAtHomeForm,
} from './HousingForms';

const BASE = '/housing/rental-subsidies';
const PURPOSE = '租赁补贴发放';

interface Row {
  id: string;
  status: string;
  statusName: string;
  headName: string;
  householdSize: number;
  jurisdictionName: string;
  paidYuan: number;
  reviewDueFrom: string | null;
  lastPaidMonth: string | null;
  openedOn: string;
  updatedAt: string;
}

interface Subsidy {
  grantId: string;
  status: 'active' | 'stopped';
  statusName: string;
  household: { headName: string; headIdNumber: string; memberIdNumbers: string[] };
  householdSize: number | null;
  jurisdictionName: string;
  categoryName: string;
  firstMonth: string;
  documentNumber: string;
  grantedOn: string;
  reviewIntervalMonths: number;
  paidUntilReview: string | null;
  lastReviewedOn: string | null;
  months: { month: string; amountYuan: number; paymentReference: string }[];
  paidTotalYuan: number;
  stoppedFrom: string | null;
  stopReasons: string[];
}

interface GrantForm extends HouseholdAtHomeForm {
  category: string;
  firstMonth: string;
  documentNumber: string;
}

const thisMonth = () => beijingToday().slice(0, 7);
/** The month after `month` (YYYY-MM). */
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const textRules = (message: string) => [{ required: true, whitespace: true, message }];
const required = (message: string) => [{ required: true, message }];

/**
 * 租赁补贴: the grants of the officer's jurisdiction — granted at the monthly standard for the household's
 * size, paid month by month (never a month past the review due), reviewed periodically (a failed review
 * stops it), stopped from a month with reasons. Auditors read. The list masks the household; a grant's view
 * shows it in full and is recorded in the access log.
 */
export default function RentalSubsidiesPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const officer = session?.user.role === 'housing_officer';
  const [status, setStatus] = useState('');
  const [head, setHead] = useState('');
  const list = useServerPage<Row>(BASE, { status, head: head.trim() || undefined });
  const [granting, setGranting] = useState(false);
  const { open, setOpen, show, step, submit } = useRecordDrawer<Subsidy>(
    BASE,
    PURPOSE,
    (s) => s.grantId,
    list.reload,
    message.success,
  );
  const [form] = Form.useForm<GrantForm>();
  const places = usePlaces(message.error);

  const grant = async (v: GrantForm) => {
    const created = await submit.run(() =>
      api<Subsidy>('POST', BASE, {
        ...householdAtHome(v),
        ...(v.category ? { category: v.category } : {}),
        firstMonth: v.firstMonth,
        documentNumber: v.documentNumber.trim(),
      }),
    );
    if (!created) return;
    message.success(`已批准租赁补贴：${created.household.headName}`);
    setGranting(false);
    // The dialog stays mounted: a closed form holds no one's details.
    form.resetFields();
    list.reload();
    await show(created.grantId);
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          租赁补贴
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap>
          <Segmented
            aria-label="按状态筛选租赁补贴"
            value={status}
            onChange={(v) => setStatus(String(v))}
            options={[
              { label: '全部', value: '' },
              { label: '发放中', value: 'active' },
              { label: '已停发', value: 'stopped' },
            ]}
          />
          <Input.Search
            aria-label="户主姓名或身份证号码"
            placeholder="户主姓名或身份证号码"
            allowClear
            style={{ width: 260 }}
            onSearch={setHead}
          />
          {officer && (
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                submit.setError(null);
                places.reset();
                setGranting(true);
              }}
            >
              批准租赁补贴
            </Button>
          )}
        </Space>
        <ServerTable<Row>
          list={list}
          rowKey="id"
          scrollX={1000}
          empty="暂无租赁补贴"
          columns={[
            {
              title: '户主',
              dataIndex: 'headName',
              render: (n: string, r) => <OpenLink onOpen={() => void show(r.id)}>{n}</OpenLink>,
            },
            { title: '人口', dataIndex: 'householdSize', render: (n: number) => `${n} 人` },
            { title: '居住地', dataIndex: 'jurisdictionName' },
            { title: '已发至', dataIndex: 'lastPaidMonth', render: (m: string | null) => m ?? '尚未发放' },
            { title: '累计发放', render: (_: unknown, r) => nowrap(yuan(r.paidYuan)) },
            {
              title: '须复核',
              render: (_: unknown, r) =>
                r.status !== 'active' || !r.reviewDueFrom ? (
                  '—'
                ) : r.reviewDueFrom <= thisMonth() ? (
                  <Tag style={TAG.overdue}>{r.reviewDueFrom} 前须复核</Tag>
                ) : (
                  nowrap(`${r.reviewDueFrom} 前`)
                ),
            },
            {
              title: '状态',
              render: (_: unknown, r) => (
                <Tag style={r.status === 'active' ? TAG.waiting : TAG.stopped}>{r.statusName}</Tag>
              ),
            },
            { title: '批准日期', dataIndex: 'openedOn', render: nowrap },
          ]}
        />
      </Space>

      <FormDialog
        title="批准租赁补贴"
        open={granting}
        onClose={() => setGranting(false)}
        form={form}
        okText="批准"
        busy={submit.busy}
        error={submit.error}
        width={640}
      >
        <Form<GrantForm>
          name="rental-subsidy-grant"
          form={form}
          layout="vertical"
          initialValues={{ category: '', firstMonth: thisMonth() }}
          onFinish={(v) => void grant(v)}
        >
          <HouseholdAtHome places={places} membersExtra={<span style={muted}>补贴标准按家庭人口核定</span>} />
          <Form.Item name="category" label="家庭类别">
            <RequiredSelect options={HOUSING_CATEGORIES} />
          </Form.Item>
          <Space wrap size="middle" align="start">
            <Form.Item name="firstMonth" label="起始发放月份" rules={required('请填写起始发放月份')}>
              <Input type="month" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="documentNumber" label="批准文号" rules={textRules('请填写批准文号')}>
              <Input maxLength={60} />
            </Form.Item>
          </Space>
        </Form>
      </FormDialog>

      <Drawer
        open={open !== null}
        width={680}
        title={open ? `租赁补贴 · ${open.household.headName}` : '租赁补贴'}
        onClose={() => setOpen(null)}
        destroyOnClose
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="subsidy-status">{open.statusName}</span>
                {open.stoppedFrom && `（自 ${open.stoppedFrom} 起停发：${open.stopReasons.join('；')}）`}
              </Descriptions.Item>
              <Descriptions.Item label="户主">
                {open.household.headName}（{open.household.headIdNumber}）
              </Descriptions.Item>
              <Descriptions.Item label="家庭成员">
                {open.household.memberIdNumbers.join('、')}（{open.householdSize} 人）
              </Descriptions.Item>
              <Descriptions.Item label="居住地">{open.jurisdictionName}</Descriptions.Item>
              <Descriptions.Item label="家庭类别">{open.categoryName}</Descriptions.Item>
              <Descriptions.Item label="批准">
                {open.documentNumber}，{open.grantedOn} 批准，自 {open.firstMonth} 起发放
              </Descriptions.Item>
              <Descriptions.Item label="复核">
                每 {open.reviewIntervalMonths} 个月复核一次
                {open.lastReviewedOn ? `，上次复核 ${open.lastReviewedOn}` : ''}
                {open.status === 'active' && open.paidUntilReview
                  ? `；下次复核前最多发放至 ${open.paidUntilReview}`
                  : ''}
              </Descriptions.Item>
              <Descriptions.Item label="累计发放">
                <span data-testid="subsidy-total">{yuan(open.paidTotalYuan)}</span>
              </Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey="month"
              pagination={{ pageSize: 12, hideOnSinglePage: true }}
              dataSource={open.months}
              locale={{ emptyText: <span style={muted}>尚未发放</span> }}
              columns={[
                { title: '月份', dataIndex: 'month' },
                { title: '金额', dataIndex: 'amountYuan', render: (n: number) => yuan(n) },
                { title: '发放凭证号', dataIndex: 'paymentReference' },
              ]}
            />
            {officer && open.status === 'active' && (
              <>
                <StepForm<{ month: string; paymentReference: string; paidOn: string }>
                  name="subsidy-pay"
                  title="发放一个月"
                  submitText="登记发放"
                  busy={submit.busy}
                  initialValues={{ month: thisMonth(), paidOn: beijingToday() }}
                  onFinish={(v) =>
                    void step(
                      '/payments',
                      { month: v.month, paymentReference: v.paymentReference.trim(), paidOn: v.paidOn },
                      `已登记 ${v.month} 的发放`,
                    )
                  }
                >
                  <Space wrap size="middle" align="start">
                    <Form.Item name="month" label="发放月份" rules={required('请填写发放月份')}>
                      <Input type="month" style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item
                      name="paymentReference"
                      label="发放凭证号"
                      rules={textRules('请填写发放凭证号')}
                    >
                      <Input maxLength={60} />
                    </Form.Item>
                    <Form.Item name="paidOn" label="发放日期" rules={required('请填写发放日期')}>
                      <Input type="date" style={{ width: 180 }} />
                    </Form.Item>
                  </Space>
                </StepForm>
                <StepForm<{ reviewedOn: string; passed: boolean; findings: string; members: string }>
                  name="subsidy-review"
                  title="定期复核"
                  submitText="登记复核结果"
                  busy={submit.busy}
                  initialValues={{
                    reviewedOn: beijingToday(),
                    passed: true,
                    members: open.household.memberIdNumbers.join('\n'),
                  }}
                  onFinish={(v) =>
                    void step(
                      '/reviews',
                      {
                        reviewedOn: v.reviewedOn,
                        passed: v.passed,
                        findings: v.findings.trim(),
                        household: {
                          headName: open.household.headName,
                          headIdNumber: open.household.headIdNumber,
                          memberIdNumbers: idNumbersIn(v.members),
                        },
                      },
                      v.passed ? '复核通过' : '复核未通过，已停发',
                    )
                  }
                >
                  <Space wrap size="middle" align="start">
                    <Form.Item name="reviewedOn" label="复核日期" rules={required('请填写复核日期')}>
                      <Input type="date" style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name="passed" label="复核结论">
                      <Radio.Group
                        options={[
                          { value: true, label: '通过，继续发放' },
                          { value: false, label: '未通过，停发' },
                        ]}
                      />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    name="members"
                    label="复核时的家庭成员身份证号码（每行一个，含户主）"
                    rules={[{ required: true, whitespace: true, message: '请填写家庭成员' }, ID_LIST_RULE]}
                  >
                    <Input.TextArea rows={3} />
                  </Form.Item>
                  <Form.Item name="findings" label="复核情况" rules={textRules('请填写复核情况')}>
                    <Input.TextArea rows={2} maxLength={1000} />
                  </Form.Item>
                </StepForm>
                <StepForm<{ stoppedFrom: string; reason: string }>
                  // Mounted again after a payment: the month offered follows the last one paid.
                  key={open.months.at(-1)?.month ?? ''}
                  name="subsidy-stop"
                  title="停发"
                  submitText="停发"
                  danger
                  busy={submit.busy}
                  // Paid months are recovered separately: the stop starts after the last one paid.
                  initialValues={{
                    stoppedFrom: open.months.length ? nextMonth(open.months.at(-1)!.month) : thisMonth(),
                  }}
                  onFinish={(v) =>
                    void step(
                      '/stop',
                      { stoppedFrom: v.stoppedFrom, reason: v.reason.trim() },
                      `自 ${v.stoppedFrom} 起停发`,
                    )
                  }
                >
                  <Space wrap size="middle" align="start">
                    <Form.Item name="stoppedFrom" label="停发起始月份" rules={required('请填写停发起始月份')}>
                      <Input type="month" style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name="reason" label="停发理由" rules={textRules('停发须写明理由')}>
                      <Input maxLength={500} style={{ width: 300 }} />
                    </Form.Item>
                  </Space>
                </StepForm>
              </>
            )}
            {submit.error && <Alert type="error" showIcon role="alert" message={submit.error} />}
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
