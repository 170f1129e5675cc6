import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Typography,
  type FormInstance,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import { beijingToday, RELATIONSHIP_NAMES } from '../labels';
import type { DibaoView } from './DibaoTypes';

// antd's secondary grey is below 4.5:1 on white (axe color-contrast).
const MUTED = { color: '#595959' };
const OPEN = [
  'received',
  'investigating',
  'township_review',
  'first_notice',
  'county_review',
  'second_notice',
];
const required = (message: string) => [{ required: true, whitespace: true, message }];
// A choice checked without `required`: antd would put aria-required on the radio group's or select's
// wrapper, where it is not an allowed attribute (axe aria-allowed-attr).
const chosen = [
  {
    validator: (_: unknown, v: unknown) =>
      v === undefined || v === null || v === '' ? Promise.reject(new Error('请选择')) : Promise.resolve(),
  },
];
/** Names typed in one box, 李春梅、张桂兰 (顿号, commas or spaces). */
const names = (text: string | undefined) =>
  (text ?? '')
    .split(/[、,，;；\s]+/)
    .map((n) => n.trim())
    .filter(Boolean);
const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function errorText(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  // The server names the field by its code first (`investigators：…`): the officer reads the rule only.
  const message = e.message.replace(/^[A-Za-z][\w.[\]]*(?: \/ [A-Za-z][\w.[\]]*)*：/, '');
  const fields = e.fields?.map((f) => f.problems.join('；')).join('；');
  return fields ? `${message}（${fields}）` : message;
}

/** A button that opens a form; the server's refusal is shown in the form, which stays open. */
function ActionForm<T extends object>({
  name,
  button,
  title,
  submitText,
  primary,
  danger,
  initialValues,
  hint,
  width = 560,
  children,
  onSubmit,
}: {
  name: string;
  button: string;
  title: string;
  submitText: string;
  primary?: boolean;
  danger?: boolean;
  initialValues?: Partial<T>;
  hint?: ReactNode;
  width?: number;
  children: (form: FormInstance<T>) => ReactNode;
  onSubmit: (values: T) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<T>();

  const finish = async (values: T) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
      setOpen(false);
    } catch (e) {
      setError(errorText(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        type={primary ? 'primary' : 'default'}
        // antd's danger red is below 4.5:1 on white (axe color-contrast): a darker red.
        style={danger ? { color: '#a8071a', borderColor: '#a8071a' } : undefined}
        onClick={() => setOpen(true)}
      >
        {button}
      </Button>
      <Modal
        open={open}
        title={title}
        width={width}
        footer={null}
        destroyOnClose
        onCancel={() => (setOpen(false), setError(null))}
      >
        {hint && <Alert type="info" message={hint} style={{ marginBottom: 16 }} />}
        <Form<T>
          form={form}
          name={name}
          layout="vertical"
          initialValues={initialValues}
          onFinish={(v) => void finish(v)}
          disabled={busy}
          scrollToFirstError
        >
          {children(form)}
          {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} />}
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={busy}
              style={danger ? { background: '#a8071a' } : undefined}
            >
              {submitText}
            </Button>
            <Button disabled={false} onClick={() => (setOpen(false), setError(null))}>
              取消
            </Button>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

interface InvestigationForm {
  date: string;
  investigators: string;
  membersPresent: string;
  household: {
    name: string;
    idNumber: string;
    relationship: string;
    disabled?: boolean;
    seriousIllness?: boolean;
  }[];
  area: 'urban' | 'rural';
  livingConditions: string;
  incomes: { memberIdNumber?: string; source: string; monthlyAmount: number }[];
  assets: { kind: string; description: string; value?: number | null }[];
  noWorkCapacity?: boolean;
  noIncomeSource?: boolean;
  noSupporterAble?: boolean;
  investigatorsConfirmed?: boolean;
  applicantConfirmed?: boolean;
}

function InvestigationFields({
  form,
  specialHardship,
}: {
  form: FormInstance<InvestigationForm>;
  specialHardship: boolean;
}) {
  const household = Form.useWatch('household', form) ?? [];
  const members = household
    .filter((m) => m?.name && m?.idNumber)
    .map((m) => ({ value: m.idNumber, label: m.name }));
  return (
    <>
      <Space wrap align="start">
        <Form.Item name="date" label="调查日期" rules={required('请填写调查日期')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="area" label="适用标准" rules={chosen}>
          <Radio.Group
            options={[
              { value: 'rural', label: '农村' },
              { value: 'urban', label: '城市' },
            ]}
          />
        </Form.Item>
      </Space>
      <Form.Item
        name="investigators"
        label="调查人员（不少于2名，姓名用顿号分隔）"
        rules={required('请填写调查人员')}
      >
        <Input placeholder="例如：李春梅、张桂兰" />
      </Form.Item>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        共同生活的家庭成员
      </Typography.Title>
      <Form.List name="household">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space
                key={f.key}
                wrap
                align="start"
                style={{ borderBottom: '1px solid #f0f0f0', marginBottom: 8 }}
              >
                <Form.Item name={[f.name, 'name']} label={`成员${i + 1} 姓名`} rules={required('请填写姓名')}>
                  <Input style={{ width: 110 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'idNumber']}
                  label={`成员${i + 1} 身份证号码`}
                  rules={required('请填写身份证号码')}
                >
                  <Input style={{ width: 200 }} maxLength={18} />
                </Form.Item>
                <Form.Item name={[f.name, 'relationship']} label={`成员${i + 1} 与申请人关系`} rules={chosen}>
                  <Select
                    style={{ width: 120 }}
                    options={Object.entries(RELATIONSHIP_NAMES).map(([value, l]) => ({ value, label: l }))}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'disabled']} valuePropName="checked" label=" " colon={false}>
                  <Checkbox>成员{i + 1} 持有残疾证</Checkbox>
                </Form.Item>
                <Form.Item name={[f.name, 'seriousIllness']} valuePropName="checked" label=" " colon={false}>
                  <Checkbox>成员{i + 1} 患重特大疾病</Checkbox>
                </Form.Item>
                {fields.length > 1 && (
                  <Form.Item label=" " colon={false}>
                    <Button onClick={() => remove(f.name)}>删除成员{i + 1}</Button>
                  </Form.Item>
                )}
              </Space>
            ))}
            <Button onClick={() => add({ relationship: 'spouse' })} style={{ marginBottom: 16 }}>
              添加家庭成员
            </Button>
          </>
        )}
      </Form.List>
      <Form.Item
        name="membersPresent"
        label="在场的家庭成员（姓名用顿号分隔）"
        rules={required('请填写在场的家庭成员')}
      >
        <Input />
      </Form.Item>
      <Form.Item name="livingConditions" label="居住和生活状况" rules={required('请填写居住和生活状况')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        收入（元/月）
      </Typography.Title>
      <Form.List name="incomes">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} wrap align="start">
                <Form.Item
                  name={[f.name, 'source']}
                  label={`收入${i + 1} 来源`}
                  rules={required('请填写来源')}
                >
                  <Input style={{ width: 140 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'monthlyAmount']}
                  label={`收入${i + 1} 月收入（元）`}
                  rules={[{ required: true, message: '请填写金额' }]}
                >
                  <InputNumber min={0} precision={2} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'memberIdNumber']} label={`收入${i + 1} 所属成员`}>
                  <Select allowClear placeholder="家庭共有" style={{ width: 130 }} options={members} />
                </Form.Item>
                <Form.Item label=" " colon={false}>
                  <Button onClick={() => remove(f.name)}>删除收入{i + 1}</Button>
                </Form.Item>
              </Space>
            ))}
            <Button onClick={() => add()} style={{ marginBottom: 16 }}>
              添加收入
            </Button>
          </>
        )}
      </Form.List>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        财产
      </Typography.Title>
      <Form.List name="assets">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} wrap align="start">
                <Form.Item name={[f.name, 'kind']} label={`财产${i + 1} 类别`} rules={required('请填写类别')}>
                  <Input style={{ width: 110 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'description']}
                  label={`财产${i + 1} 说明`}
                  rules={required('请填写说明')}
                >
                  <Input style={{ width: 180 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'value']} label={`财产${i + 1} 估值（元）`}>
                  <InputNumber min={0} precision={2} style={{ width: 120 }} />
                </Form.Item>
                <Form.Item label=" " colon={false}>
                  <Button onClick={() => remove(f.name)}>删除财产{i + 1}</Button>
                </Form.Item>
              </Space>
            ))}
            <Button onClick={() => add()} style={{ marginBottom: 16 }}>
              添加财产
            </Button>
          </>
        )}
      </Form.List>
      {specialHardship && (
        <Form.Item label="特困人员认定条件">
          <Form.Item name="noWorkCapacity" valuePropName="checked" noStyle>
            <Checkbox>无劳动能力</Checkbox>
          </Form.Item>
          <Form.Item name="noIncomeSource" valuePropName="checked" noStyle>
            <Checkbox>无生活来源</Checkbox>
          </Form.Item>
          <Form.Item name="noSupporterAble" valuePropName="checked" noStyle>
            <Checkbox>无法定赡养、抚养、扶养义务人，或其无履行义务能力</Checkbox>
          </Form.Item>
        </Form.Item>
      )}
      <Form.Item label="签字确认">
        <Form.Item name="investigatorsConfirmed" valuePropName="checked" noStyle>
          <Checkbox>调查人员已签字确认</Checkbox>
        </Form.Item>
        <Form.Item name="applicantConfirmed" valuePropName="checked" noStyle>
          <Checkbox>申请人已签字确认</Checkbox>
        </Form.Item>
      </Form.Item>
    </>
  );
}

const recommendationField = (
  <Form.Item name="recommendation" label="意见" rules={chosen}>
    <Radio.Group
      options={[
        { value: 'approve', label: '同意保障' },
        { value: 'reject', label: '不同意保障' },
      ]}
    />
  </Form.Item>
);

/**
 * What this officer may do on the application now, by its status and their role: the server decides
 * finally (and its Chinese refusal is shown in the form), this only leaves out what cannot apply.
 */
export default function DibaoActions({
  view,
  role,
  onDone,
}: {
  view: DibaoView;
  role: string;
  onDone: () => Promise<void>;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = (step: string) => `/civil-affairs/dibao/applications/${view.applicationId}/${step}`;
  const township = role === 'township_officer';
  const village = role === 'village_verifier';
  const county = role === 'county_civil_affairs';
  const s = view.status;
  const beforeReview = ['investigating', 'township_review'].includes(s) && !view.townshipReview;
  const appraisalDone = !!view.appraisal && (!view.appraisal.held || view.appraisal.valid);
  const byCounty = view.decidedBy === 'county';
  const deadline = (step: string) => view.deadlines.find((d) => d.step === step);
  const pendingObjections = view.objections.filter((o) => o.status === 'pending');

  /** Posts a step; the page reloads the application (the step answers without personal data). */
  const post = async (step: string, body: unknown, done: string) => {
    await api('POST', path(step), body);
    message.success(done);
    await onDone();
  };
  /** A step without a form: a button, the refusal shown above the buttons. */
  const direct = async (step: string, done: string) => {
    setBusy(step);
    setError(null);
    try {
      await post(step, undefined, done);
    } catch (e) {
      setError(errorText(e, '提交失败'));
    } finally {
      setBusy(null);
    }
  };
  const button = (step: string, text: string, done: string, primary = true) => (
    <Button
      type={primary ? 'primary' : 'default'}
      loading={busy === step}
      onClick={() => void direct(step, done)}
    >
      {text}
    </Button>
  );

  const actions: ReactNode[] = [];

  if (township && s === 'received')
    actions.push(button('investigation/start', '开始入户调查', '已开始入户调查'));

  if ((township || village) && beforeReview) {
    actions.push(
      <ActionForm<InvestigationForm>
        key="investigation"
        name="investigation"
        button={view.investigation ? '重新记录入户调查' : '记录入户调查'}
        title="入户调查记录"
        submitText="提交调查记录"
        primary={!view.investigation}
        width={880}
        hint="入户调查不少于2名工作人员，调查记录须经调查人员和申请人签字确认；村（居）委会可代乡镇（街道）记录。"
        initialValues={{
          date: beijingToday(),
          area: view.area as 'urban' | 'rural',
          household: view.investigation?.household ?? [
            {
              name: view.applicant?.name ?? '',
              idNumber: view.applicant?.idNumber ?? '',
              relationship: 'applicant',
            },
          ],
          incomes: [],
          assets: [],
        }}
        onSubmit={(v) =>
          post(
            'investigation',
            {
              date: v.date,
              investigators: names(v.investigators),
              membersPresent: names(v.membersPresent),
              household: v.household.map((m) => ({
                name: m.name.trim(),
                idNumber: m.idNumber.trim().toUpperCase(),
                relationship: m.relationship,
                disabled: !!m.disabled,
                seriousIllness: !!m.seriousIllness,
              })),
              area: v.area,
              livingConditions: v.livingConditions.trim(),
              incomes: (v.incomes ?? []).map((i) => ({
                ...(i.memberIdNumber ? { memberIdNumber: i.memberIdNumber } : {}),
                source: i.source.trim(),
                monthlyAmount: i.monthlyAmount,
              })),
              assets: (v.assets ?? []).map((a) => ({
                kind: a.kind.trim(),
                description: a.description.trim(),
                ...(a.value != null ? { value: a.value } : {}),
              })),
              investigatorsConfirmed: !!v.investigatorsConfirmed,
              applicantConfirmed: !!v.applicantConfirmed,
              ...(view.program === 'special_hardship'
                ? {
                    specialHardship: {
                      noWorkCapacity: !!v.noWorkCapacity,
                      noIncomeSource: !!v.noIncomeSource,
                      noSupporterAble: !!v.noSupporterAble,
                    },
                  }
                : {}),
            },
            '已记录入户调查',
          )
        }
      >
        {(form) => <InvestigationFields form={form} specialHardship={view.program === 'special_hardship'} />}
      </ActionForm>,
    );
  }

  if (township && beforeReview) {
    actions.push(
      <ActionForm<{ findings: { department: string; findings: string }[]; conclusion: string }>
        key="verification"
        name="verification"
        button={view.verification ? '修改核对结果' : '记录核对结果'}
        title="家庭经济状况核对结果"
        submitText="提交核对结果"
        primary={!view.verification}
        width={720}
        initialValues={{ findings: [{ department: '', findings: '' }] }}
        onSubmit={(v) =>
          post(
            'verification',
            {
              findings: v.findings.map((f) => ({
                department: f.department.trim(),
                findings: f.findings.trim(),
              })),
              conclusion: v.conclusion.trim(),
            },
            '已记录核对结果',
          )
        }
      >
        {() => (
          <>
            <Form.List name="findings">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} wrap align="start">
                      <Form.Item
                        name={[f.name, 'department']}
                        label={`核对部门${i + 1}`}
                        rules={required('请填写部门')}
                      >
                        <Input style={{ width: 150 }} placeholder="如：公安" />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'findings']}
                        label={`核对部门${i + 1} 核对结果`}
                        rules={required('请填写核对结果')}
                      >
                        <Input style={{ width: 330 }} />
                      </Form.Item>
                      {fields.length > 1 && (
                        <Form.Item label=" " colon={false}>
                          <Button onClick={() => remove(f.name)}>删除</Button>
                        </Form.Item>
                      )}
                    </Space>
                  ))}
                  <Button onClick={() => add()} style={{ marginBottom: 16 }}>
                    添加核对部门
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="conclusion" label="核对结论" rules={required('请填写核对结论')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  if ((township || village) && beforeReview && !appraisalDone) {
    actions.push(
      <ActionForm<{
        date: string;
        participantsDue: number;
        attended: number;
        agreed: number;
        signed?: boolean;
        record: string;
      }>
        key="appraisal"
        name="appraisal"
        button={view.appraisal ? '重新记录民主评议' : '记录民主评议'}
        title="民主评议"
        submitText="提交评议记录"
        primary={!view.appraisal}
        hint="应到人员三分之二以上出席方为有效，出席人员三分之二以上同意方为通过；评议记录须经参加人员签字。"
        initialValues={{ date: beijingToday() }}
        onSubmit={(v) =>
          post(
            'appraisal',
            {
              date: v.date,
              participantsDue: v.participantsDue,
              attended: v.attended,
              agreed: v.agreed,
              signed: !!v.signed,
              record: v.record.trim(),
            },
            '已记录民主评议',
          )
        }
      >
        {() => (
          <>
            <Form.Item name="date" label="评议日期" rules={required('请填写评议日期')}>
              <Input type="date" />
            </Form.Item>
            <Space wrap>
              <Form.Item
                name="participantsDue"
                label="应到人数"
                rules={[{ required: true, message: '请填写' }]}
              >
                <InputNumber min={1} max={1000} precision={0} />
              </Form.Item>
              <Form.Item name="attended" label="实到人数" rules={[{ required: true, message: '请填写' }]}>
                <InputNumber min={0} max={1000} precision={0} />
              </Form.Item>
              <Form.Item name="agreed" label="同意人数" rules={[{ required: true, message: '请填写' }]}>
                <InputNumber min={0} max={1000} precision={0} />
              </Form.Item>
            </Space>
            <Form.Item name="record" label="评议记录" rules={required('请填写评议记录')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="signed" valuePropName="checked">
              <Checkbox>评议记录已由参加人员签字</Checkbox>
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  if (township && beforeReview && !appraisalDone) {
    actions.push(
      <ActionForm<{ reason: string }>
        key="appraisal-skip"
        name="appraisalSkip"
        button="不开展民主评议"
        title="不开展民主评议"
        submitText="确认不开展"
        onSubmit={(v) => post('appraisal/skip', { reason: v.reason.trim() }, '已记录不开展民主评议')}
      >
        {() => (
          <Form.Item name="reason" label="理由" rules={required('请说明理由')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
      </ActionForm>,
    );
  }

  if (township && s === 'township_review' && !view.townshipReview) {
    actions.push(
      <ActionForm<{ recommendation: 'approve' | 'reject'; opinion: string }>
        key="township-review"
        name="townshipReview"
        button="提出审核意见"
        title="乡镇（街道）审核意见"
        submitText="提交审核意见"
        primary
        onSubmit={(v) =>
          post(
            'township-review',
            { recommendation: v.recommendation, opinion: v.opinion.trim() },
            '已提出审核意见',
          )
        }
      >
        {() => (
          <>
            {recommendationField}
            <Form.Item name="opinion" label="审核意见" rules={required('请填写审核意见')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  if (township && s === 'township_review' && view.townshipReview?.recommendation === 'approve')
    actions.push(button('first-notice', '发布第一次公示（7天）', '已在村（社区）公示'));

  if (
    township &&
    byCounty &&
    (s === 'first_notice' || (s === 'township_review' && view.townshipReview?.recommendation === 'reject'))
  )
    actions.push(button('submit', '报送旗县区民政部门', '已报送旗县区民政部门'));

  if (county && view.staffRelative && !view.staffRelativeFiling && OPEN.includes(s)) {
    actions.push(
      <ActionForm<{ note: string }>
        key="filing"
        name="filing"
        button="记录近亲属备案"
        title="经办人员及村（居）干部近亲属申请备案"
        submitText="提交备案"
        primary
        onSubmit={(v) => post('staff-relative-filing', { note: v.note.trim() }, '已记录备案')}
      >
        {() => (
          <Form.Item name="note" label="备案说明" rules={required('请填写备案说明')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
      </ActionForm>,
    );
  }

  if (county && s === 'county_review' && !view.countyReview) {
    actions.push(
      <ActionForm<{ recommendation: 'approve' | 'reject'; opinion: string }>
        key="county-review"
        name="countyReview"
        button="审查申请材料"
        title="旗县区审批：材料审查意见"
        submitText="提交审查意见"
        primary
        hint="审核与审批须由不同人员办理：在乡镇（街道）受理或审核过本申请的人员不能审批。"
        onSubmit={(v) =>
          post(
            'county-review',
            { recommendation: v.recommendation, opinion: v.opinion.trim() },
            '已提出审查意见',
          )
        }
      >
        {() => (
          <>
            {recommendationField}
            <Form.Item name="opinion" label="审查意见" rules={required('请填写审查意见')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  if (county && ['county_review', 'second_notice'].includes(s) && !view.spotCheck) {
    actions.push(
      <ActionForm<{ visitDate: string; visitors: string; findings: string; confirmed: boolean }>
        key="spot-check"
        name="spotCheck"
        button="记录入户抽查"
        title="入户抽查（核查）"
        submitText="提交核查结果"
        primary={!!view.spotCheckSample?.sampled}
        initialValues={{ visitDate: beijingToday(), confirmed: true }}
        onSubmit={(v) =>
          post(
            'spot-check',
            {
              visitDate: v.visitDate,
              visitors: names(v.visitors),
              findings: v.findings.trim(),
              confirmed: v.confirmed,
            },
            '已记录入户核查结果',
          )
        }
      >
        {() => (
          <>
            <Form.Item name="visitDate" label="核查日期" rules={required('请填写核查日期')}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="visitors" label="核查人员（姓名用顿号分隔）" rules={required('请填写核查人员')}>
              <Input />
            </Form.Item>
            <Form.Item name="findings" label="核查情况" rules={required('请填写核查情况')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="confirmed" label="核查结论">
              <Radio.Group
                options={[
                  { value: true, label: '核查属实' },
                  { value: false, label: '与申请情况不符' },
                ]}
              />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  if (county && s === 'county_review' && view.countyReview?.recommendation === 'approve')
    actions.push(button('second-notice', '发布第二次公示（7天）', '已发布第二次公示'));

  for (const o of county ? pendingObjections : []) {
    actions.push(
      <ActionForm<ObjectionForm>
        key={`objection-${o.objectionId}`}
        name={`objection${o.reference.replace(/\W/g, '')}`}
        button={`异议复核决定（${o.reference}）`}
        title={`异议复核：${o.reference}`}
        submitText="提交复核决定"
        primary
        hint={`异议内容：${o.content}`}
        onSubmit={(v) =>
          post(
            `objections/${o.objectionId}/decision`,
            {
              result: v.result,
              ...(v.result === 'upheld' && v.next ? { next: v.next } : {}),
              opinion: v.opinion.trim(),
            },
            '已作出异议复核决定',
          )
        }
      >
        {(form) => <ObjectionFields form={form} />}
      </ActionForm>,
    );
  }

  const decider = byCounty ? county : township;
  const approveFrom = byCounty ? 'second_notice' : 'first_notice';
  const rejectFrom = byCounty ? ['county_review', 'second_notice'] : ['township_review', 'first_notice'];
  if (decider && s === approveFrom && !view.mustReject) {
    actions.push(
      <ActionForm<{ opinion: string }>
        key="approve"
        name="approve"
        button="批准保障"
        title="批准保障"
        submitText="批准并出具保障决定书"
        primary
        hint="按决定之日生效的保障标准计算月保障金；公示期满无异议后方可批准。"
        onSubmit={(v) => post('approve', { opinion: v.opinion.trim() }, '已批准保障，保障决定书已出具')}
      >
        {() => (
          <Form.Item name="opinion" label="审批意见" rules={required('请填写审批意见')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
      </ActionForm>,
    );
  }
  if (decider && rejectFrom.includes(s) && (byCounty || view.townshipReview)) {
    actions.push(
      <ActionForm<{ reasons: string; opinion: string }>
        key="reject"
        name="reject"
        button="不予保障"
        title="不予保障"
        submitText="决定不予保障并出具通知书"
        danger
        onSubmit={(v) =>
          post(
            'reject',
            { reasons: lines(v.reasons), opinion: v.opinion.trim() },
            '已决定不予保障，通知书已出具',
          )
        }
      >
        {() => (
          <>
            <Form.Item name="reasons" label="不予保障的理由（每行一条）" rules={required('请写明理由')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="opinion" label="审批意见" rules={required('请填写审批意见')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  for (const [step, roleOk, statuses, name] of [
    ['township_review', township, ['received', 'investigating', 'township_review', 'first_notice'], '审核'],
    ['county_decision', county, ['county_review', 'second_notice'], '审批'],
  ] as const) {
    const d = deadline(step);
    if (!roleOk || !d || d.extended || !(statuses as readonly string[]).includes(s)) continue;
    actions.push(
      <ActionForm<{ reason: string }>
        key={`extend-${step}`}
        name={`extend${step}`}
        button={`延长${name}期限`}
        title={`延长${name}期限（仅可延长一次）`}
        submitText="确认延长"
        onSubmit={(v) =>
          post(
            step === 'township_review' ? 'township-review/extend' : 'county-review/extend',
            { reason: v.reason.trim() },
            `已延长${name}期限`,
          )
        }
      >
        {() => (
          <Form.Item name="reason" label="延长理由" rules={required('请说明理由')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
      </ActionForm>,
    );
  }

  if ((township || county) && s === 'granted') {
    actions.push(
      <ActionForm<{ date: string; findings: string; conclusion: string }>
        key="recheck"
        name="recheck"
        button="记录复查"
        title="复查"
        submitText="提交复查记录"
        initialValues={{ date: beijingToday(), conclusion: 'continue' }}
        onSubmit={(v) =>
          post(
            'recheck',
            { date: v.date, findings: v.findings.trim(), conclusion: v.conclusion },
            '已记录复查',
          )
        }
      >
        {() => (
          <>
            <Form.Item name="date" label="复查日期" rules={required('请填写复查日期')}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="findings" label="复查情况" rules={required('请填写复查情况')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="conclusion" label="复查结论">
              <Radio.Group
                options={[
                  { value: 'continue', label: '情况未变化，继续保障' },
                  { value: 'changed', label: '情况有变化，需变更保障金' },
                  { value: 'no_longer_eligible', label: '不再符合条件，应予停保' },
                ]}
              />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }
  if (county && s === 'granted') {
    actions.push(
      <ActionForm<{ reasons: string; opinion: string }>
        key="suspend"
        name="suspend"
        button="停止保障"
        title="停止保障"
        submitText="停保并出具停止保障通知书"
        danger
        onSubmit={(v) =>
          post(
            'suspend',
            { reasons: lines(v.reasons), opinion: v.opinion.trim() },
            '已停止保障，通知书已出具',
          )
        }
      >
        {() => (
          <>
            <Form.Item name="reasons" label="停保理由（每行一条）" rules={required('请写明停保理由')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="opinion" label="停保意见" rules={required('请填写停保意见')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </ActionForm>,
    );
  }

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          办理
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {error && (
          <Alert type="error" showIcon closable message={error} role="alert" onClose={() => setError(null)} />
        )}
        {actions.length > 0 ? (
          <Space wrap data-testid="dibao-actions">
            {actions.map((a, i) => (
              <span key={i}>{a}</span>
            ))}
          </Space>
        ) : (
          <Typography.Text style={MUTED}>
            {OPEN.includes(s) ? '当前环节由其他部门办理，您可查看办理情况。' : '本申请已办结。'}
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}

interface ObjectionForm {
  result: 'upheld' | 'dismissed';
  next?: 'township_review' | 'rejection';
  opinion: string;
}

function ObjectionFields({ form }: { form: FormInstance<ObjectionForm> }) {
  const result = Form.useWatch('result', form);
  return (
    <>
      <Form.Item name="result" label="复核结论" rules={chosen}>
        <Radio.Group
          options={[
            { value: 'dismissed', label: '异议不成立，继续办理' },
            { value: 'upheld', label: '异议成立' },
          ]}
        />
      </Form.Item>
      {result === 'upheld' && (
        <Form.Item name="next" label="异议成立后" rules={chosen}>
          <Radio.Group
            options={[
              { value: 'township_review', label: '退回乡镇（街道）重新审核' },
              { value: 'rejection', label: '不予保障' },
            ]}
          />
        </Form.Item>
      )}
      <Form.Item name="opinion" label="复核意见" rules={required('请填写复核意见')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </>
  );
}
