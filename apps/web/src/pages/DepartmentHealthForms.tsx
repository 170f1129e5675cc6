import { Alert, Form } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { beijingToday } from '../labels';
import type { DepartmentForms } from './DepartmentInboxPage';
import DepartmentFormCard, { countyOf, yuan, RequiredSelect } from './DepartmentFormCard';
import { SettlementFields, settlementOf, type SettlementValues } from './SettlementFields';

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
    <DepartmentFormCard<SettlementValues & { person: string }>
      title="录入医疗救助结算"
      submitText="核定救助金额"
      form={form}
      initialValues={{ person: people[0]?.idNumber, serviceDate: beijingToday(), seriousIllness: false }}
      onSubmit={async (v) => {
        const person = people.find((p) => p.idNumber === v.person)!;
        const r = await api<Claim>('POST', '/health/medical-assistance/claims', {
          ...settlementOf(v),
          person: { idNumber: person.idNumber, name: person.name },
          countyCode: countyOf(detail.villageCode ?? detail.jurisdiction),
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
      <Form.Item name="person" label="救助对象" rules={[{ required: true, message: '请选择救助对象' }]}>
        <RequiredSelect
          style={{ width: 200 }}
          options={people.map((p) => ({ value: p.idNumber, label: p.name }))}
        />
      </Form.Item>
      <SettlementFields />
    </DepartmentFormCard>
  );
};

export default DepartmentHealthForms;
