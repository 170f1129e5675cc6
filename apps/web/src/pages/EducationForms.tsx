import { Alert, Checkbox, Form, Input, InputNumber, Space } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { beijingToday, jurisdictionName, label, RELATIONSHIP_NAMES } from '../labels';
import type { DepartmentForms } from './DepartmentInboxPage';
import DepartmentFormCard, { countyOf, yuan, RequiredSelect } from './DepartmentFormCard';

interface Student {
  studentId: string;
  name: string;
  grantId?: string;
  record: { kindName: string; stageName?: string; schoolName?: string }[];
  grants: { grantId: string; programmeName: string; schoolYearName: string; yearlyYuan: number }[];
}

export const STAGES = [
  { value: 'preschool', label: '学前教育' },
  { value: 'primary', label: '小学' },
  { value: 'junior_secondary', label: '初中' },
  { value: 'senior_secondary', label: '普通高中' },
  { value: 'secondary_vocational', label: '中等职业教育' },
  { value: 'university', label: '高等教育' },
];

export const EDUCATION_PROGRAMMES = [
  { value: 'preschool_fee_reduction', label: '学前教育保育教育费减免' },
  { value: 'boarding_living_allowance', label: '义务教育家庭经济困难寄宿生生活补助' },
  { value: 'tuition_waiver', label: '免学费' },
  { value: 'national_grant', label: '国家助学金' },
  { value: 'university_entrance_aid', label: '大学新生入学资助' },
];

/** The school year a day falls in: autumn starts it (2026-11-28 → 2026, 2027-03-01 → 2026). */
export const schoolYearOf = (day: string) => Number(day.slice(0, 4)) - (Number(day.slice(5, 7)) < 9 ? 1 : 0);

/** What an officer grants: a programme of the policy table for a school year, under a document number. */
export interface GrantValues {
  programme: string;
  schoolYear: number;
  documentNumber: string;
  universityLocation?: string;
}

/** The grant's request body (the amounts come from the policy table for the student's stage). */
export const grantOf = (v: GrantValues) => ({
  programme: v.programme,
  schoolYear: v.schoolYear,
  documentNumber: v.documentNumber.trim(),
  ...(v.universityLocation ? { universityLocation: v.universityLocation } : {}),
});

/** 资助项目, 学年, 资助文号, and where the university is when the programme is 大学新生入学资助. */
export function GrantFields() {
  return (
    <>
      <Space wrap size="middle" align="start">
        <Form.Item name="programme" label="资助项目" rules={[{ required: true, message: '请选择资助项目' }]}>
          <RequiredSelect style={{ width: 300 }} options={EDUCATION_PROGRAMMES} />
        </Form.Item>
        <Form.Item
          name="schoolYear"
          label="学年（秋季学期开始的年份）"
          rules={[{ required: true, message: '请填写学年' }]}
        >
          <InputNumber min={2000} max={2100} />
        </Form.Item>
      </Space>
      <Form.Item
        name="documentNumber"
        label="资助文号"
        rules={[{ required: true, whitespace: true, message: '请填写资助文号' }]}
      >
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.programme !== b.programme}>
        {({ getFieldValue }) =>
          getFieldValue('programme') === 'university_entrance_aid' && (
            <Form.Item
              name="universityLocation"
              label="录取院校所在地"
              rules={[{ required: true, message: '请选择录取院校所在地' }]}
            >
              <RequiredSelect
                style={{ width: 200 }}
                options={[
                  { value: 'within_region', label: '区内' },
                  { value: 'outside_region', label: '区外' },
                ]}
              />
            </Form.Item>
          )
        }
      </Form.Item>
    </>
  );
}

/** A school record as the officer enters it (the student is chosen or typed apart). */
export interface SchoolRecordValues {
  stage: string;
  from: string;
  schoolName: string;
  schoolCode: string;
  schoolPlace: string;
  boarder?: boolean;
}

/** The school record's part of `POST /education/students`. */
export const schoolRecordOf = (v: SchoolRecordValues) => ({
  stage: v.stage,
  school: { code: v.schoolCode.trim(), name: v.schoolName.trim(), jurisdictionCode: v.schoolPlace },
  boarder: Boolean(v.boarder),
  from: v.from,
});

/** 学段, the record's first day, the school (name, 标识码, where it is: one of `places`), 寄宿生. */
export function SchoolRecordFields({
  places,
  fromLabel = '入学日期',
}: {
  places: { value: string; label: string }[];
  fromLabel?: string;
}) {
  return (
    <>
      <Space wrap size="middle" align="start">
        <Form.Item name="stage" label="学段" rules={[{ required: true, message: '请选择学段' }]}>
          <RequiredSelect style={{ width: 160 }} options={STAGES} />
        </Form.Item>
        <Form.Item name="from" label={fromLabel} rules={[{ required: true, message: `请填写${fromLabel}` }]}>
          <Input type="date" style={{ width: 180 }} />
        </Form.Item>
      </Space>
      <Space wrap size="middle" align="start">
        <Form.Item
          name="schoolName"
          label="学校名称"
          rules={[{ required: true, whitespace: true, message: '请填写学校名称' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="schoolCode"
          label="学校标识码"
          rules={[{ required: true, whitespace: true, message: '请填写学校标识码' }]}
        >
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item
          name="schoolPlace"
          label="学校所在地"
          rules={[{ required: true, message: '请选择学校所在地' }]}
        >
          <RequiredSelect style={{ width: 160 }} options={places} />
        </Form.Item>
      </Space>
      <Form.Item name="boarder" valuePropName="checked">
        <Checkbox>寄宿生</Checkbox>
      </Form.Item>
    </>
  );
}

/** 学生资助: the student's school record, then the aid of the stage from the policy table. */
const EducationForms: DepartmentForms = ({ detail, suggest }) => {
  const [enrolForm] = Form.useForm();
  const [grantForm] = Form.useForm();
  const [student, setStudent] = useState<Student | null>(null);
  const people = [
    ...(detail.members ?? []),
    ...(detail.applicant ? [{ ...detail.applicant, relationship: 'applicant' }] : []),
  ].filter((p, i, all) => all.findIndex((x) => x.idNumber === p.idNumber) === i);
  const county = countyOf(detail.villageCode ?? detail.jurisdiction);
  const firstChild = people.find((p) => p.relationship === 'child') ?? people[0];

  if (student) {
    const grant = student.grants.find((g) => g.grantId === student.grantId);
    // One grant answers the referral: once made, what was granted is shown for the outcome.
    if (grant)
      return (
        <Alert
          type="success"
          showIcon
          message={`已批准${grant.programmeName}（${grant.schoolYearName}），全年 ${yuan(grant.yearlyYuan)}`}
        />
      );
    return (
      <DepartmentFormCard<GrantValues>
        key="grant"
        title={`批准学生资助（${student.name}）`}
        submitText="批准资助"
        form={grantForm}
        initialValues={{ schoolYear: schoolYearOf(beijingToday()) }}
        result={
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            message={`已登记学籍：${student.record.map((r) => [r.kindName, r.stageName, r.schoolName].filter(Boolean).join(' ')).join('；')}`}
          />
        }
        onSubmit={async (v) => {
          const r = await api<Student>('POST', `/education/students/${student.studentId}/grants`, grantOf(v));
          setStudent(r);
          const g = r.grants.find((x) => x.grantId === r.grantId);
          if (g) suggest({ amount: g.yearlyYuan, service: `${g.programmeName}（${g.schoolYearName}）` });
        }}
      >
        <GrantFields />
      </DepartmentFormCard>
    );
  }

  return (
    <DepartmentFormCard<SchoolRecordValues & { student: string }>
      key="enrol"
      title="登记学籍（学生资助）"
      submitText="登记学籍"
      form={enrolForm}
      initialValues={{
        student: firstChild?.idNumber,
        from: `${schoolYearOf(beijingToday())}-09-01`,
        schoolPlace: county,
        boarder: false,
      }}
      onSubmit={async (v) => {
        const s = people.find((p) => p.idNumber === v.student)!;
        const r = await api<Student>('POST', '/education/students', {
          student: { idNumber: s.idNumber, name: s.name },
          ...(detail.applicant && detail.applicant.idNumber !== s.idNumber
            ? { householdHeadIdNumber: detail.applicant.idNumber }
            : {}),
          ...schoolRecordOf(v),
        });
        setStudent(r);
      }}
    >
      <Form.Item name="student" label="学生" rules={[{ required: true, message: '请选择学生' }]}>
        <RequiredSelect
          style={{ width: 200 }}
          options={people.map((p) => ({
            value: p.idNumber,
            label: `${p.name}（${label(RELATIONSHIP_NAMES, p.relationship)}）`,
          }))}
        />
      </Form.Item>
      <SchoolRecordFields places={[{ value: county, label: jurisdictionName(county) }]} />
    </DepartmentFormCard>
  );
};

export default EducationForms;
