import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { useCounties, useRecordDrawer, useServerPage, useSubmit } from '../hooks';
import { beijingToday, jurisdictionName } from '../labels';
import { RESIDENT_ID_RULES, residentIdProblem } from '../resident-id';
import { useSession } from '../session';
import { FormDialog, muted, nowrap, OpenLink, ServerTable, StepForm, TAG, yuan } from '../ui';
import { RequiredSelect } from './DepartmentFormCard';
import {
  GrantFields,
  grantOf,
  SchoolRecordFields,
  schoolRecordOf,
  schoolYearOf,
  type GrantValues,
  type SchoolRecordValues,
} from './EducationForms';

interface EnrolForm extends SchoolRecordValues {
  name: string;
  idNumber: string;
  householdHeadIdNumber?: string;
}

const BASE = '/education/students';
const PURPOSE = '学生资助发放';

const LEAVING_REASONS = [
  { value: 'graduated', label: '毕业' },
  { value: 'dropped_out', label: '辍学' },
  { value: 'transferred_out', label: '转出本地' },
  { value: 'deceased', label: '死亡' },
  { value: 'other', label: '其他' },
];

interface Row {
  studentId: string;
  name: string;
  idNumber: string;
  atSchool: boolean;
  stageName: string;
  schoolName: string;
  grants: number;
  paidYuan: number;
  nextUnpaidOn: string | null;
  due: boolean;
}

interface Term {
  term: string;
  termName: string;
  startsOn: string;
  amountYuan: number;
  paid: boolean;
  paidOn: string | null;
  paymentReference: string | null;
  atSchoolOnFirstDay: boolean;
}

interface Student {
  studentId: string;
  name: string;
  idNumber: string;
  atSchool: boolean;
  record: {
    kindName: string;
    from: string;
    stageName?: string;
    schoolName?: string;
    schoolPlace?: string;
    boarder?: boolean;
    reasonName?: string;
  }[];
  grants: {
    grantId: string;
    programmeName: string;
    stageName: string;
    schoolYearName: string;
    yearlyYuan: number;
    documentNumber: string;
    grantedByName: string;
    grantedAt: string;
    terms: Term[];
  }[];
}

const textRules = (message: string) => [{ required: true, whitespace: true, message }];

/**
 * 学生资助档案: the students of the jurisdiction's schools (a school record is made from an education
 * referral), those with a term begun and not paid first. The drawer shows the record and each year's aid
 * term by term: the officer pays a term that has begun, grants another year's aid and records a student
 * leaving school (terms that begin after it are not paid). Auditors read. The list masks the student; the
 * detail view shows the ID number and is recorded in the access log.
 */
export default function StudentsPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const officer = session?.user.role === 'education_officer';
  // The view is in the address: a reload or a link keeps it.
  const [params, setParams] = useSearchParams();
  const filter = params.get('view') ?? 'due';
  const setFilter = (v: string) => setParams(v === 'due' ? {} : { view: v }, { replace: true });
  const [student, setStudent] = useState('');
  const list = useServerPage<Row>(BASE, {
    status: filter === 'at_school' || filter === 'left' ? filter : undefined,
    due: filter === 'due' ? 'true' : undefined,
    student: student.trim() || undefined,
  });
  const [paying, setPaying] = useState<{ grantId: string; what: string; term: Term } | null>(null);
  const {
    open,
    setOpen,
    show,
    step: act,
    submit,
  } = useRecordDrawer<Student>(BASE, PURPOSE, (s) => s.studentId, list.reload, message.success);
  const [payForm] = Form.useForm<{ paymentReference: string; paidOn: string }>();
  const today = beijingToday();
  // A student the school reports directly, without a referral: the school is in the officer's county
  // (a city-wide officer chooses it).
  const [enrolling, setEnrolling] = useState(false);
  const [enrolForm] = Form.useForm<EnrolForm>();
  const enrolment = useSubmit();
  const county = useCounties(message.error);
  const places = county.own ? [{ value: county.own, label: jurisdictionName(county.own) }] : county.counties;
  const enrol = async (v: EnrolForm) => {
    const head = v.householdHeadIdNumber?.trim().toUpperCase();
    const r = await enrolment.run(() =>
      api<Student>('POST', BASE, {
        student: { idNumber: v.idNumber.trim().toUpperCase(), name: v.name.trim() },
        ...(head ? { householdHeadIdNumber: head } : {}),
        ...schoolRecordOf(v),
      }),
    );
    if (!r) return;
    setEnrolling(false);
    message.success(`已登记${r.name}的学籍`);
    list.reload();
    void show(r.studentId);
  };
  // A new stage or school (or a return to school) is a new school record of the same student.
  const changeRecord = async (student: Student, v: SchoolRecordValues) => {
    const r = await submit.run(() =>
      api<Student>('POST', BASE, {
        student: { idNumber: student.idNumber, name: student.name },
        ...schoolRecordOf(v),
      }),
    );
    if (!r) return;
    message.success('已登记学籍变动');
    await show(student.studentId);
    list.reload();
  };

  const pay = async (v: { paymentReference: string; paidOn: string }) => {
    if (!paying) return;
    const ok = await act(
      `/grants/${paying.grantId}/disbursements`,
      { term: paying.term.term, paymentReference: v.paymentReference.trim(), paidOn: v.paidOn },
      `已发放${paying.what}`,
    );
    if (ok) setPaying(null);
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          学生资助
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph style={{ ...muted, margin: 0 }}>
          转办的学生在“转办事项”中随转办登记学籍；学校直接报送的学生在此登记。此处按学期发放、批准新学年资助，登记学籍变动、离校和复学。
        </Typography.Paragraph>
        <Space wrap>
          <Segmented
            aria-label="筛选学生"
            value={filter}
            onChange={(v) => setFilter(String(v))}
            options={[
              { label: '待发放', value: 'due' },
              { label: '在校', value: 'at_school' },
              { label: '已离校', value: 'left' },
              { label: '全部', value: 'all' },
            ]}
          />
          <Input.Search
            aria-label="学生姓名或身份证号码"
            placeholder="学生姓名或身份证号码"
            allowClear
            style={{ width: 260 }}
            onSearch={setStudent}
          />
          {officer && (
            <Button
              type="primary"
              onClick={() => {
                enrolForm.resetFields();
                enrolment.setError(null);
                setEnrolling(true);
              }}
            >
              登记学生
            </Button>
          )}
        </Space>
        <ServerTable<Row>
          list={list}
          rowKey="studentId"
          scrollX={1000}
          empty={filter === 'due' ? '没有待发放的学期' : '暂无学生'}
          columns={[
            {
              title: '学生',
              dataIndex: 'name',
              render: (n: string, r) => <OpenLink onOpen={() => void show(r.studentId)}>{n}</OpenLink>,
            },
            { title: '身份证号码', dataIndex: 'idNumber', render: nowrap },
            { title: '学段', dataIndex: 'stageName' },
            { title: '学校', dataIndex: 'schoolName' },
            {
              title: '学籍',
              render: (_: unknown, r) => (
                <Tag style={r.atSchool ? TAG.waiting : TAG.stopped}>{r.atSchool ? '在校' : '已离校'}</Tag>
              ),
            },
            { title: '已发放', render: (_: unknown, r) => nowrap(yuan(r.paidYuan)) },
            {
              title: '待发放学期',
              render: (_: unknown, r) =>
                !r.nextUnpaidOn ? (
                  '—'
                ) : r.due ? (
                  <Tag style={TAG.overdue}>{r.nextUnpaidOn} 开学，待发放</Tag>
                ) : (
                  nowrap(`${r.nextUnpaidOn} 开学`)
                ),
            },
          ]}
        />
      </Space>

      <FormDialog
        title="登记学生学籍"
        open={enrolling}
        onClose={() => setEnrolling(false)}
        form={enrolForm}
        okText="登记"
        busy={enrolment.busy}
        error={enrolment.error}
        width={640}
      >
        <Form<EnrolForm>
          name="student-enrol"
          form={enrolForm}
          layout="vertical"
          initialValues={{
            from: `${schoolYearOf(today)}-09-01`,
            schoolPlace: places.length === 1 ? places[0]!.value : undefined,
            boarder: false,
          }}
          onFinish={(v) => void enrol(v)}
        >
          <Space wrap size="middle" align="start">
            <Form.Item name="name" label="学生姓名" rules={textRules('请填写学生姓名')}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="idNumber" label="学生身份证号码" required rules={RESIDENT_ID_RULES}>
              <Input maxLength={18} />
            </Form.Item>
          </Space>
          <Form.Item
            name="householdHeadIdNumber"
            label="户主身份证号码（选填，用于家庭经济状况核对）"
            rules={[
              {
                validator: async (_: unknown, v?: string) => {
                  const id = (v ?? '').trim().toUpperCase();
                  const problem = id ? residentIdProblem(id) : null;
                  if (problem) throw new Error(problem);
                },
              },
            ]}
          >
            <Input maxLength={18} style={{ width: 240 }} />
          </Form.Item>
          <SchoolRecordFields places={places} />
        </Form>
      </FormDialog>

      <Drawer
        open={open !== null}
        width={720}
        title={open ? `学生资助 · ${open.name}` : '学生资助'}
        onClose={() => setOpen(null)}
        destroyOnClose
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="学生">
                {open.name}（{open.idNumber}）
              </Descriptions.Item>
              <Descriptions.Item label="学籍">
                <span data-testid="student-status">{open.atSchool ? '在校' : '已离校'}</span>
              </Descriptions.Item>
              {open.record.map((r, i) => (
                <Descriptions.Item key={i} label={`${r.from} ${r.kindName}`}>
                  {r.schoolName
                    ? `${r.stageName}，${r.schoolName}（${r.schoolPlace}）${r.boarder ? '，寄宿' : ''}`
                    : r.reasonName}
                </Descriptions.Item>
              ))}
            </Descriptions>
            {open.grants.map((g) => (
              <div key={g.grantId}>
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  {g.schoolYearName} {g.programmeName}（{g.stageName}），全年 {yuan(g.yearlyYuan)}
                </Typography.Title>
                <Typography.Paragraph style={muted}>
                  {g.documentNumber}，{g.grantedByName} {g.grantedAt}
                </Typography.Paragraph>
                <Table<Term>
                  size="small"
                  rowKey="term"
                  pagination={false}
                  dataSource={g.terms}
                  columns={[
                    { title: '学期', dataIndex: 'termName' },
                    { title: '开学', dataIndex: 'startsOn', render: nowrap },
                    { title: '金额', dataIndex: 'amountYuan', render: (n: number) => nowrap(yuan(n)) },
                    {
                      title: '发放',
                      render: (_: unknown, t) =>
                        t.paid ? (
                          `${t.paidOn} 已发放（${t.paymentReference}）`
                        ) : !t.atSchoolOnFirstDay && t.startsOn <= today ? (
                          <span style={muted}>开学时不在校，不发放</span>
                        ) : t.startsOn > today ? (
                          <span style={muted}>未开学</span>
                        ) : officer ? (
                          <Button
                            size="small"
                            type="primary"
                            onClick={() => {
                              payForm.resetFields();
                              submit.setError(null);
                              setPaying({
                                grantId: g.grantId,
                                what: `${g.schoolYearName}${t.termName}${g.programmeName}`,
                                term: t,
                              });
                            }}
                          >
                            发放{t.termName}
                          </Button>
                        ) : (
                          <Tag style={TAG.overdue}>待发放</Tag>
                        ),
                    },
                  ]}
                />
              </div>
            ))}
            {officer && open.atSchool && (
              <StepForm<GrantValues>
                name="student-grant"
                title="批准资助"
                submitText="批准资助"
                busy={submit.busy}
                initialValues={{ schoolYear: schoolYearOf(today) }}
                onFinish={(v) => void act('/grants', grantOf(v), '已批准资助')}
              >
                <GrantFields />
              </StepForm>
            )}
            {officer && (
              <StepForm<SchoolRecordValues>
                name="student-record-change"
                title={open.atSchool ? '登记学籍变动（升学、转学）' : '登记复学'}
                submitText={open.atSchool ? '登记学籍变动' : '登记复学'}
                busy={submit.busy}
                initialValues={{
                  from: today,
                  schoolPlace: places.length === 1 ? places[0]!.value : undefined,
                  boarder: false,
                }}
                onFinish={(v) => void changeRecord(open, v)}
              >
                <SchoolRecordFields places={places} fromLabel={open.atSchool ? '变动日期' : '复学日期'} />
              </StepForm>
            )}
            {officer && open.atSchool && (
              <StepForm<{ leftOn: string; reason: string; note?: string }>
                name="student-leave"
                title="登记离校"
                submitText="登记离校"
                danger
                busy={submit.busy}
                initialValues={{ leftOn: today }}
                onFinish={(v) =>
                  void act(
                    '/leaving',
                    { leftOn: v.leftOn, reason: v.reason, note: v.note?.trim() ?? '' },
                    '已登记离校',
                  )
                }
              >
                <Space wrap size="middle" align="start">
                  <Form.Item
                    name="leftOn"
                    label="离校日期"
                    rules={[{ required: true, message: '请填写离校日期' }]}
                  >
                    <Input type="date" style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item
                    name="reason"
                    label="离校原因"
                    rules={[{ required: true, message: '请选择离校原因' }]}
                  >
                    <RequiredSelect style={{ width: 160 }} options={LEAVING_REASONS} />
                  </Form.Item>
                  <Form.Item name="note" label="说明">
                    <Input maxLength={500} style={{ width: 260 }} />
                  </Form.Item>
                </Space>
              </StepForm>
            )}
            {submit.error && !paying && <Alert type="error" showIcon role="alert" message={submit.error} />}
          </Space>
        )}
      </Drawer>

      <FormDialog
        title={paying ? `发放 · ${paying.what}` : '发放'}
        open={paying !== null}
        onClose={() => setPaying(null)}
        form={payForm}
        okText="发放"
        busy={submit.busy}
        error={submit.error}
        aboveDrawer
      >
        {paying && (
          <Typography.Paragraph>
            {paying.term.startsOn} 开学，金额 {yuan(paying.term.amountYuan)}
          </Typography.Paragraph>
        )}
        <Form<{ paymentReference: string; paidOn: string }>
          name="student-pay"
          form={payForm}
          layout="vertical"
          initialValues={{ paidOn: today }}
          onFinish={(v) => void pay(v)}
        >
          <Space wrap size="middle" align="start">
            <Form.Item name="paymentReference" label="发放凭证号" rules={textRules('请填写发放凭证号')}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="paidOn" label="发放日期" rules={[{ required: true, message: '请填写发放日期' }]}>
              <Input type="date" style={{ width: 180 }} />
            </Form.Item>
          </Space>
        </Form>
      </FormDialog>
    </Card>
  );
}
