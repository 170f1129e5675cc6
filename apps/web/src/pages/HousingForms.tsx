import { Alert, Cascader, Form, Input, Space } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { api } from '../api';
import type { Place, usePlaces } from '../hooks';
import { beijingToday, chosen } from '../labels';
import { ID_LIST_RULE, idNumbersIn, RESIDENT_ID_RULES } from '../resident-id';
import type { DepartmentForms } from './DepartmentInboxPage';
import DepartmentFormCard, { yuan, RequiredSelect } from './DepartmentFormCard';

interface Renovation {
  projectId: string;
  status: string;
  statusName: string;
  appraisal: { gradeName: string };
  refusal: { reasons: string[] } | null;
  approval: { measureName: string; subsidyYuan: number; documentNumber: string } | null;
}

const GRADES = [
  { value: 'A', label: 'A级（结构能满足安全使用要求）' },
  { value: 'B', label: 'B级（个别构件不满足安全使用要求）' },
  { value: 'C', label: 'C级（局部危险）' },
  { value: 'D', label: 'D级（整体危险）' },
];

export const HOUSING_CATEGORIES = [
  { value: '', label: '以民政部门认定为准（低保、特困）或其他家庭' },
  { value: 'low_income_margin', label: '低保边缘家庭' },
  { value: 'poverty_monitoring', label: '防止返贫监测对象' },
];

/** What `HouseholdAtHome` puts in a form. */
export interface HouseholdAtHomeForm {
  headName: string;
  headIdNumber: string;
  others?: string;
  place: string[];
}

/** The household (the head first, each member once) and the village it lives in, as the API takes them. */
export function householdAtHome(v: HouseholdAtHomeForm) {
  const head = v.headIdNumber.trim().toUpperCase();
  return {
    household: {
      headName: v.headName.trim(),
      headIdNumber: head,
      memberIdNumbers: [head, ...idNumbersIn(v.others).filter((x) => x !== head)],
    },
    jurisdictionCode: v.place[v.place.length - 1]!,
  };
}

/**
 * A household's fields in a housing form: the head, the other members' ID numbers (checked as typed, a
 * wrong line named), and the home chosen by name down to the village (the only level the server takes).
 */
export function HouseholdAtHome(props: { places: ReturnType<typeof usePlaces>; membersExtra?: ReactNode }) {
  const { places } = props;
  return (
    <>
      <Space wrap size="middle" align="start">
        <Form.Item
          name="headName"
          label="户主姓名"
          rules={[{ required: true, whitespace: true, message: '请填写户主姓名' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="headIdNumber" label="户主身份证号码" required rules={RESIDENT_ID_RULES}>
          <Input maxLength={18} />
        </Form.Item>
      </Space>
      <Form.Item
        name="others"
        label="其他家庭成员身份证号码（每行一个）"
        rules={[ID_LIST_RULE]}
        extra={props.membersExtra}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="place" label="居住地（村、社区）" rules={[{ validator: chosen('请选择居住地') }]}>
        <Cascader
          options={places.options}
          loadData={(path) => void places.load(path as Place[])}
          placeholder="请选择到村（社区）"
        />
      </Form.Item>
    </>
  );
}

/** 农村危房改造: the appraisal opens the project, approval sets the subsidy by grade and policy. */
const HousingForms: DepartmentForms = ({ detail, suggest }) => {
  const [appraisalForm] = Form.useForm();
  const [approvalForm] = Form.useForm();
  const [project, setProject] = useState<Renovation | null>(null);
  const head = detail.applicant;
  const memberIds = [
    ...new Set([...(head ? [head.idNumber] : []), ...(detail.members ?? []).map((m) => m.idNumber)]),
  ];

  const outcome = project && (
    <Alert
      type={project.status === 'refused' ? 'warning' : 'success'}
      showIcon
      style={{ marginBottom: 12 }}
      message={`危房改造：${project.statusName}（${project.appraisal.gradeName}）`}
      description={
        project.approval
          ? `${project.approval.measureName}，补助 ${yuan(project.approval.subsidyYuan)}，批准文号 ${project.approval.documentNumber}`
          : project.refusal?.reasons.join('；')
      }
    />
  );

  if (project && project.status === 'appraised')
    return (
      <DepartmentFormCard<{ documentNumber: string }>
        key="approval"
        title="批准危房改造"
        submitText="批准改造"
        form={approvalForm}
        result={outcome}
        onSubmit={async (v) => {
          const r = await api<Renovation>('POST', `/housing/renovations/${project.projectId}/approval`, v);
          setProject(r);
          if (r.approval)
            suggest({ amount: r.approval.subsidyYuan, service: `农村危房改造（${r.approval.measureName}）` });
        }}
      >
        <Form.Item
          name="documentNumber"
          label="批准文号"
          rules={[{ required: true, whitespace: true, message: '请填写批准文号' }]}
        >
          <Input maxLength={60} />
        </Form.Item>
      </DepartmentFormCard>
    );
  if (project) return outcome;

  return (
    <DepartmentFormCard<Record<string, string>>
      key="appraisal"
      title="登记危房鉴定（农村危房改造）"
      submitText="登记鉴定"
      form={appraisalForm}
      initialValues={{ appraisedOn: beijingToday(), category: '' }}
      onSubmit={async (v) => {
        if (!head || !detail.villageCode) throw new Error('缺少申请人或所在村信息');
        const r = await api<Renovation>('POST', '/housing/renovations', {
          household: {
            headName: head.name,
            headIdNumber: head.idNumber,
            memberIdNumbers: memberIds,
          },
          ...(v.category ? { category: v.category } : {}),
          villageCode: detail.villageCode,
          address: v.address,
          appraisal: {
            grade: v.grade,
            appraisedOn: v.appraisedOn,
            organisation: v.organisation,
            reportNumber: v.reportNumber,
            findings: v.findings,
          },
        });
        setProject(r);
      }}
    >
      <Form.Item
        name="address"
        label="房屋地址"
        rules={[{ required: true, whitespace: true, message: '请填写房屋地址' }]}
      >
        <Input maxLength={200} placeholder={detail.villageName ?? ''} />
      </Form.Item>
      <Form.Item name="category" label="家庭类别">
        <RequiredSelect options={HOUSING_CATEGORIES} />
      </Form.Item>
      <Space wrap size="middle" align="start">
        <Form.Item name="grade" label="鉴定等级" rules={[{ required: true, message: '请选择鉴定等级' }]}>
          <RequiredSelect style={{ width: 260 }} options={GRADES} />
        </Form.Item>
        <Form.Item
          name="appraisedOn"
          label="鉴定日期"
          rules={[{ required: true, message: '请填写鉴定日期' }]}
        >
          <Input type="date" />
        </Form.Item>
      </Space>
      <Space wrap size="middle" align="start">
        <Form.Item
          name="organisation"
          label="鉴定单位"
          rules={[{ required: true, whitespace: true, message: '请填写鉴定单位' }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="reportNumber"
          label="鉴定报告编号"
          rules={[{ required: true, whitespace: true, message: '请填写鉴定报告编号' }]}
        >
          <Input maxLength={60} />
        </Form.Item>
      </Space>
      <Form.Item
        name="findings"
        label="鉴定结论"
        rules={[{ required: true, whitespace: true, message: '请填写鉴定结论' }]}
      >
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </DepartmentFormCard>
  );
};

export default HousingForms;
