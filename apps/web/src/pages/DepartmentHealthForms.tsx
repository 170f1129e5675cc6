import { Alert, Checkbox, Form, Input, InputNumber, Space } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { beijingToday } from '../labels';
import type { DepartmentForms } from './DepartmentInboxPage';
import DepartmentFormCard, { countyOf, yuan, RequiredSelect } from './DepartmentFormCard';

interface Claim {
  claim: {
    claimId: string;
    categoryName: string;
    assistanceYuan: number;
    personalPaymentYuan: number;
    statusName: string;
    explanation: string | string[];
  };
}

/** 医疗救助结算: the amount is computed by the policy in force, never typed. */
const DepartmentHealthForms: DepartmentForms = ({ detail, suggest }) => {
  const [form] = Form.useForm();
  const [claim, setClaim] = useState<Claim['claim'] | null>(null);
  const people = [
    ...(detail.applicant ? [{ name: detail.applicant.name, idNumber: detail.applicant.idNumber }] : []),
    ...(detail.members ?? []),
  ].filter((p, i, all) => all.findIndex((x) => x.idNumber === p.idNumber) === i);
  return (
    <DepartmentFormCard<Record<string, unknown>>
      title="录入医疗救助结算"
      submitText="核定救助金额"
      form={form}
      initialValues={{ person: people[0]?.idNumber, serviceDate: beijingToday(), seriousIllness: false }}
      onSubmit={async (v) => {
        const person = people.find((p) => p.idNumber === v.person)!;
        const r = await api<Claim>('POST', '/health/medical-assistance/claims', {
          claimId: v.claimId,
          person: { idNumber: person.idNumber, name: person.name },
          countyCode: countyOf(detail.villageCode ?? detail.jurisdiction),
          serviceDate: v.serviceDate,
          hospital: v.hospital,
          seriousIllness: Boolean(v.seriousIllness),
          totalCostYuan: v.totalCostYuan,
          inPolicyCostYuan: v.inPolicyCostYuan,
          basicInsurancePaidYuan: v.basicInsurancePaidYuan,
          criticalIllnessInsurancePaidYuan: v.criticalIllnessInsurancePaidYuan,
        });
        setClaim(r.claim);
        suggest({ amount: r.claim.assistanceYuan, service: `医疗救助（结算单号 ${r.claim.claimId}）` });
      }}
      result={
        claim && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="claim-result"
            message={`核定医疗救助 ${yuan(claim.assistanceYuan)}（${claim.categoryName}），个人负担 ${yuan(claim.personalPaymentYuan)}`}
            description={Array.isArray(claim.explanation) ? claim.explanation.join('；') : claim.explanation}
          />
        )
      }
    >
      <Space wrap size="middle" align="start">
        <Form.Item name="person" label="救助对象" rules={[{ required: true, message: '请选择救助对象' }]}>
          <RequiredSelect
            style={{ width: 200 }}
            options={people.map((p) => ({ value: p.idNumber, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="claimId" label="结算单号" rules={[{ required: true, message: '请填写结算单号' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="serviceDate"
          label="结算日期"
          rules={[{ required: true, message: '请填写结算日期' }]}
        >
          <Input type="date" />
        </Form.Item>
      </Space>
      <Form.Item name="hospital" label="医疗机构" rules={[{ required: true, message: '请填写医疗机构' }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="seriousIllness" valuePropName="checked">
        <Checkbox>重特大疾病（以医疗机构诊断为准）</Checkbox>
      </Form.Item>
      <Space wrap size="middle" align="start">
        {(
          [
            ['totalCostYuan', '医疗总费用（元）'],
            ['inPolicyCostYuan', '政策范围内费用（元）'],
            ['basicInsurancePaidYuan', '基本医保支付（元）'],
            ['criticalIllnessInsurancePaidYuan', '大病保险支付（元）'],
          ] as const
        ).map(([name, text]) => (
          <Form.Item
            key={name}
            name={name}
            label={text}
            rules={[{ required: true, message: `请填写${text}` }]}
          >
            <InputNumber min={0} precision={2} style={{ width: 160 }} />
          </Form.Item>
        ))}
      </Space>
    </DepartmentFormCard>
  );
};

export default DepartmentHealthForms;
