import { Checkbox, Form, Input, InputNumber, Space } from 'antd';

/** What a hospital settlement says, as both claim forms (the health desk and a referral's card) take it. */
export interface SettlementValues {
  claimId: string;
  serviceDate: string;
  hospital: string;
  seriousIllness?: boolean;
  totalCostYuan: number;
  inPolicyCostYuan: number;
  basicInsurancePaidYuan: number;
  criticalIllnessInsurancePaidYuan: number;
}

const COSTS = [
  ['totalCostYuan', '医疗总费用（元）'],
  ['inPolicyCostYuan', '政策范围内费用（元）'],
  ['basicInsurancePaidYuan', '基本医保支付（元）'],
  ['criticalIllnessInsurancePaidYuan', '大病保险支付（元）'],
] as const;

/** The settlement part of a claim's request body (the amount itself is computed by the policy in force). */
export const settlementOf = (v: SettlementValues) => ({
  claimId: v.claimId.trim(),
  serviceDate: v.serviceDate,
  hospital: v.hospital.trim(),
  seriousIllness: Boolean(v.seriousIllness),
  ...Object.fromEntries(COSTS.map(([name]) => [name, v[name]])),
});

/** 结算单号, 结算日期, 医疗机构, 重特大疾病 and the four costs from the settlement slip. */
export function SettlementFields() {
  return (
    <>
      <Space wrap size="middle" align="start">
        <Form.Item
          name="claimId"
          label="结算单号"
          rules={[{ required: true, whitespace: true, message: '请填写结算单号' }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="serviceDate"
          label="结算日期"
          rules={[{ required: true, message: '请填写结算日期' }]}
        >
          <Input type="date" style={{ width: 180 }} />
        </Form.Item>
      </Space>
      <Form.Item
        name="hospital"
        label="医疗机构"
        rules={[{ required: true, whitespace: true, message: '请填写医疗机构' }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="seriousIllness" valuePropName="checked">
        <Checkbox>重特大疾病（以医疗机构诊断为准）</Checkbox>
      </Form.Item>
      <Space wrap size="middle" align="start">
        {COSTS.map(([name, text]) => (
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
    </>
  );
}
