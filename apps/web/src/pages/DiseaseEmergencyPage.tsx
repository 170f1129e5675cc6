import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api';
import { useCounties, useRecordDrawer, useServerPage } from '../hooks';
import { beijingTime, chosen } from '../labels';
import { RESIDENT_ID_RULES } from '../resident-id';
import { useSession } from '../session';
import { FormDialog, nowrap, OpenLink, ServerTable, StepForm, TAG, yuan } from '../ui';
import { CountyField } from './DepartmentFormCard';

const BASE = '/health/disease-emergency/reports';
const PURPOSE = '疾病应急救助审核';
const REASONS = [
  { value: 'unidentified', label: '身份不明' },
  { value: 'unable_to_pay', label: '无力支付' },
];
const STATUS_TAG: Record<string, (typeof TAG)[keyof typeof TAG]> = {
  reported: TAG.open,
  reviewed: TAG.waiting,
  paid: TAG.done,
  refused: TAG.stopped,
};

interface Row {
  reportId: string;
  status: string;
  statusName: string;
  countyName: string;
  hospitalName: string;
  reasonName: string;
  patientName: string | null;
  admittedOn: string;
  emergencyCostYuan: number;
  unpaidYuan: number;
  approvedYuan: number | null;
  reportedAt: string;
}

interface ReportView {
  reportId: string;
  status: 'reported' | 'reviewed' | 'paid' | 'refused';
  statusName: string;
  hospital: { name: string };
  countyName: string;
  patient:
    { identified: true; name: string; idNumber: string } | { identified: false; description: string | null };
  reasonName: string;
  admittedOn: string;
  treatment: string;
  emergencyCostYuan: number;
  paidByPatientYuan: number;
  unpaidYuan: number;
  reportedByName: string;
  reportedAt: string;
  review: {
    capPerCaseYuan: number;
    approvedYuan: number;
    capReached: boolean;
    opinion: string;
    byName: string;
    at: string;
  } | null;
  refusal: { reasons: string[]; byName: string; at: string } | null;
  payment: {
    amountYuan: number;
    paidTo: string;
    paymentReference: string;
    paidOn: string;
    byName: string;
    at: string;
  } | null;
}

interface ReportForm {
  countyCode?: string;
  hospitalCode: string;
  hospitalName: string;
  identified?: boolean;
  name?: string;
  idNumber?: string;
  description?: string;
  reason: string;
  admittedOn: Dayjs;
  treatment: string;
  emergencyCostYuan: number;
  paidByPatientYuan: number;
}

/**
 * 疾病应急救助: a hospital's report of an emergency patient who is unidentified or cannot pay; the county's
 * health officer reviews it (the amount paid to the hospital is capped per case by the policy in force on
 * the day of admission), refuses it with reasons, records the payment, and names the patient once known.
 * Auditors read. Lists mask patients; the detail view is recorded in the access log.
 */
export default function DiseaseEmergencyPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const officer = session?.user.role === 'health_officer';
  const [status, setStatus] = useState('');
  const list = useServerPage<Row>(BASE, { status });
  const { open, setOpen, show, step, submit } = useRecordDrawer<ReportView>(
    BASE,
    PURPOSE,
    (r) => r.reportId,
    list.reload,
    message.success,
  );
  const [reporting, setReporting] = useState(false);
  const [form] = Form.useForm<ReportForm>();
  const identified = Form.useWatch('identified', form);
  // The hospital's county: chosen by the city's officer, a county officer's own otherwise.
  const county = useCounties(message.error);

  const report = async (v: ReportForm) => {
    const created = await submit.run(() =>
      api<ReportView>('POST', BASE, {
        hospital: {
          code: v.hospitalCode.trim(),
          name: v.hospitalName.trim(),
          countyCode: v.countyCode ?? county.own,
        },
        patient: v.identified
          ? { identified: true, name: v.name!.trim(), idNumber: v.idNumber!.trim().toUpperCase() }
          : { identified: false, description: v.description!.trim() },
        reason: v.reason,
        admittedOn: v.admittedOn.format('YYYY-MM-DD'),
        treatment: v.treatment.trim(),
        emergencyCostYuan: v.emergencyCostYuan,
        paidByPatientYuan: v.paidByPatientYuan,
      }),
    );
    if (!created) return;
    message.success('已登记疾病应急救助报告');
    setReporting(false);
    list.reload();
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          疾病应急救助
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap>
          <Segmented
            aria-label="按状态筛选报告"
            value={status}
            onChange={(v) => setStatus(String(v))}
            options={[
              { label: '全部', value: '' },
              { label: '待审核', value: 'reported' },
              { label: '待支付', value: 'reviewed' },
              { label: '已支付', value: 'paid' },
              { label: '不予救助', value: 'refused' },
            ]}
          />
          {officer && (
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                submit.setError(null);
                setReporting(true);
              }}
            >
              登记医疗机构报告
            </Button>
          )}
        </Space>
        <ServerTable<Row>
          list={list}
          rowKey="reportId"
          scrollX={1000}
          empty="暂无报告"
          columns={[
            {
              title: '医疗机构',
              dataIndex: 'hospitalName',
              render: (n: string, r) => <OpenLink onOpen={() => void show(r.reportId)}>{n}</OpenLink>,
            },
            // A city-wide list names each hospital's county.
            ...(county.own ? [] : [{ title: '旗县区', dataIndex: 'countyName', render: nowrap }]),
            { title: '患者', render: (_: unknown, r) => r.patientName ?? '身份不明' },
            { title: '救助原因', dataIndex: 'reasonName' },
            { title: '入院日期', dataIndex: 'admittedOn', render: nowrap },
            { title: '急救费用', render: (_: unknown, r) => nowrap(yuan(r.emergencyCostYuan)) },
            { title: '核定支付', render: (_: unknown, r) => nowrap(yuan(r.approvedYuan)) },
            {
              title: '状态',
              render: (_: unknown, r) => <Tag style={STATUS_TAG[r.status]}>{r.statusName}</Tag>,
            },
            { title: '报告时间', dataIndex: 'reportedAt', render: nowrap },
          ]}
        />
      </Space>

      <FormDialog
        title="登记医疗机构报告"
        open={reporting}
        onClose={() => setReporting(false)}
        form={form}
        okText="登记"
        busy={submit.busy}
        error={submit.error}
        width={640}
      >
        <Form<ReportForm>
          name="disease-emergency-report"
          form={form}
          layout="vertical"
          initialValues={{ paidByPatientYuan: 0 }}
          onFinish={(v) => void report(v)}
        >
          <Space wrap size="middle" align="start">
            <Form.Item
              name="hospitalName"
              label="医疗机构名称"
              rules={[{ required: true, whitespace: true, message: '请填写医疗机构名称' }]}
            >
              <Input maxLength={100} style={{ width: 280 }} />
            </Form.Item>
            <Form.Item
              name="hospitalCode"
              label="医疗机构代码"
              rules={[{ required: true, whitespace: true, message: '请填写医疗机构代码' }]}
            >
              <Input maxLength={40} />
            </Form.Item>
            <CountyField counties={county.own ? null : county.counties} />
          </Space>
          <Form.Item name="reason" label="救助原因" rules={[{ validator: chosen('请选择救助原因') }]}>
            <Select options={REASONS} />
          </Form.Item>
          <Form.Item name="identified" valuePropName="checked">
            <Checkbox>患者身份明确</Checkbox>
          </Form.Item>
          {identified ? (
            <Space wrap size="middle" align="start">
              <Form.Item
                name="name"
                label="患者姓名"
                rules={[{ required: true, whitespace: true, message: '请填写患者姓名' }]}
              >
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item name="idNumber" label="患者身份证号码" required rules={RESIDENT_ID_RULES}>
                <Input maxLength={18} />
              </Form.Item>
            </Space>
          ) : (
            <Form.Item
              name="description"
              label="患者特征（身份不明）"
              rules={[{ required: true, whitespace: true, message: '请填写患者特征' }]}
            >
              <Input maxLength={500} placeholder="如：男性，约40岁，于路边昏迷被送医" />
            </Form.Item>
          )}
          <Form.Item
            name="admittedOn"
            label="入院（急救）日期"
            rules={[{ required: true, message: '请选择入院日期' }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="treatment"
            label="急救情况"
            rules={[{ required: true, whitespace: true, message: '请填写急救情况' }]}
          >
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Space wrap size="middle" align="start">
            <Form.Item
              name="emergencyCostYuan"
              label="急救费用（元）"
              rules={[{ required: true, message: '请填写急救费用' }]}
            >
              <InputNumber min={0.01} precision={2} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item
              name="paidByPatientYuan"
              label="患者已付费用（元）"
              rules={[{ required: true, message: '请填写患者已付费用' }]}
            >
              <InputNumber min={0} precision={2} style={{ width: 200 }} />
            </Form.Item>
          </Space>
        </Form>
      </FormDialog>

      <Drawer
        open={open !== null}
        width={640}
        title={open ? `疾病应急救助 · ${open.hospital.name}` : '疾病应急救助'}
        onClose={() => setOpen(null)}
        destroyOnClose
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="emergency-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="患者">
                {open.patient.identified
                  ? `${open.patient.name}（${open.patient.idNumber}）`
                  : `身份不明：${open.patient.description ?? ''}`}
              </Descriptions.Item>
              <Descriptions.Item label="救助原因">{open.reasonName}</Descriptions.Item>
              <Descriptions.Item label="医疗机构">
                {open.hospital.name}（{open.countyName}）
              </Descriptions.Item>
              <Descriptions.Item label="入院日期">{open.admittedOn}</Descriptions.Item>
              <Descriptions.Item label="急救情况">{open.treatment}</Descriptions.Item>
              <Descriptions.Item label="费用">
                急救费用 {yuan(open.emergencyCostYuan)}，患者已付 {yuan(open.paidByPatientYuan)}，未付{' '}
                {yuan(open.unpaidYuan)}
              </Descriptions.Item>
              <Descriptions.Item label="报告">
                {open.reportedByName} {beijingTime(open.reportedAt)}
              </Descriptions.Item>
              {open.review && (
                <Descriptions.Item label="审核">
                  核定支付 <span data-testid="emergency-approved">{yuan(open.review.approvedYuan)}</span>
                  {open.review.capReached ? `（已达每例限额 ${yuan(open.review.capPerCaseYuan)}）` : ''}：
                  {open.review.opinion}（{open.review.byName} {beijingTime(open.review.at)}）
                </Descriptions.Item>
              )}
              {open.refusal && (
                <Descriptions.Item label="不予救助">
                  {open.refusal.reasons.join('；')}（{open.refusal.byName} {beijingTime(open.refusal.at)}）
                </Descriptions.Item>
              )}
              {open.payment && (
                <Descriptions.Item label="支付">
                  {yuan(open.payment.amountYuan)} 支付给 {open.payment.paidTo}，凭证{' '}
                  {open.payment.paymentReference}，{open.payment.paidOn}（{open.payment.byName}）
                </Descriptions.Item>
              )}
            </Descriptions>
            {officer && open.status === 'reported' && (
              <StepForm<{ opinion: string }>
                name="emergency-review"
                title="审核"
                submitText="审核通过"
                busy={submit.busy}
                onFinish={(v) => void step('/review', { opinion: v.opinion.trim() }, '已审核')}
              >
                <Form.Item
                  name="opinion"
                  label="审核意见"
                  rules={[{ required: true, whitespace: true, message: '请填写审核意见' }]}
                >
                  <Input.TextArea rows={2} maxLength={1000} />
                </Form.Item>
              </StepForm>
            )}
            {officer && open.status === 'reviewed' && (
              <StepForm<{ paymentReference: string; paidOn: Dayjs }>
                name="emergency-pay"
                title="登记支付"
                submitText="登记支付"
                busy={submit.busy}
                onFinish={(v) =>
                  void step(
                    '/pay',
                    { paymentReference: v.paymentReference.trim(), paidOn: v.paidOn.format('YYYY-MM-DD') },
                    '已登记支付',
                  )
                }
              >
                <Form.Item
                  name="paymentReference"
                  label="支付凭证号"
                  rules={[{ required: true, whitespace: true, message: '请填写支付凭证号' }]}
                >
                  <Input maxLength={60} />
                </Form.Item>
                <Form.Item
                  name="paidOn"
                  label="支付日期"
                  rules={[{ required: true, message: '请选择支付日期' }]}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </StepForm>
            )}
            {officer && !open.patient.identified && open.status !== 'refused' && (
              <StepForm<{ name: string; idNumber: string }>
                name="emergency-identify"
                title="确认患者身份"
                submitText="确认身份"
                busy={submit.busy}
                onFinish={(v) =>
                  void step(
                    '/identify',
                    { name: v.name.trim(), idNumber: v.idNumber.trim().toUpperCase() },
                    '已确认患者身份',
                  )
                }
              >
                <Space wrap size="middle" align="start">
                  <Form.Item
                    name="name"
                    label="姓名"
                    rules={[{ required: true, whitespace: true, message: '请填写患者姓名' }]}
                  >
                    <Input maxLength={50} />
                  </Form.Item>
                  <Form.Item name="idNumber" label="身份证号码" required rules={RESIDENT_ID_RULES}>
                    <Input maxLength={18} />
                  </Form.Item>
                </Space>
              </StepForm>
            )}
            {officer && (open.status === 'reported' || open.status === 'reviewed') && (
              <StepForm<{ reasons: string }>
                name="emergency-refuse"
                title="不予救助"
                submitText="不予救助"
                danger
                busy={submit.busy}
                onFinish={(v) =>
                  void step(
                    '/refuse',
                    {
                      reasons: v.reasons
                        .split('\n')
                        .map((r) => r.trim())
                        .filter(Boolean),
                    },
                    '已决定不予救助',
                  )
                }
              >
                <Form.Item
                  name="reasons"
                  label="理由（每行一条）"
                  rules={[{ required: true, whitespace: true, message: '不予救助须写明理由' }]}
                >
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              </StepForm>
            )}
            {submit.error && <Alert type="error" showIcon role="alert" message={submit.error} />}
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
