import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Segmented,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { useServerPage, useSubmit } from '../hooks';
import { residentIdProblem } from '../resident-id';
import { muted, nowrap, ServerTable, yuan } from '../ui';

const BASE = '/health/assistance-register';
const PURPOSE = '救助台账查询';

interface Entry {
  programmeName: string;
  personName: string | null;
  personIdNumber: string | null;
  date: string;
  amountYuan: number;
  medicalCostYuan: number;
  personalPaymentYuan: number;
  seriousIllness: boolean;
  countyName: string;
  hospital: string | null;
}

type MemberAnswer =
  | { idNumber: string; onRecord: false }
  | {
      idNumber: string;
      onRecord: true;
      medicalExpensesYuan: number;
      personalPaymentYuan: number;
      assistancePaidYuan: number;
      seriousIllness: boolean;
    };

interface Lookup {
  answer:
    | { result: 'nothing_on_record'; statement: string; period: { from: string; to: string } }
    | { result: 'on_record'; period: { from: string; to: string }; members: MemberAnswer[] };
  entries: Entry[];
}

const entryColumns = [
  { title: '日期', dataIndex: 'date', render: nowrap },
  { title: '救助项目', dataIndex: 'programmeName' },
  { title: '姓名', render: (_: unknown, e: Entry) => e.personName ?? '身份不明' },
  { title: '身份证号码', render: (_: unknown, e: Entry) => nowrap(e.personIdNumber ?? '—') },
  { title: '医疗费用', render: (_: unknown, e: Entry) => nowrap(yuan(e.medicalCostYuan)) },
  { title: '个人负担', render: (_: unknown, e: Entry) => nowrap(yuan(e.personalPaymentYuan)) },
  { title: '救助金额', render: (_: unknown, e: Entry) => nowrap(yuan(e.amountYuan)) },
  { title: '重特大疾病', render: (_: unknown, e: Entry) => (e.seriousIllness ? '是' : '否') },
  { title: '医疗机构', render: (_: unknown, e: Entry) => e.hospital ?? '—' },
];

/**
 * 救助台账 (health): the county's medical-assistance and disease-emergency payments, newest first, names and
 * ID numbers masked; and the lookup by a household's ID numbers, which shows every entry whole and the
 * answer a household verification would give on the day (each person looked up is access-logged).
 */
export default function HealthRegisterPage() {
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          医疗救助台账
        </Typography.Title>
      }
    >
      <Tabs
        items={[
          { key: 'list', label: '台账', children: <RegisterList /> },
          { key: 'lookup', label: '按身份证号码查询', children: <RegisterLookup /> },
        ]}
      />
    </Card>
  );
}

function RegisterList() {
  const [programme, setProgramme] = useState('');
  const list = useServerPage<Entry>(BASE, { programme });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Segmented
        aria-label="按救助项目筛选"
        value={programme}
        onChange={(v) => setProgramme(String(v))}
        options={[
          { label: '全部', value: '' },
          { label: '医疗救助', value: 'medical_assistance' },
          { label: '疾病应急救助', value: 'disease_emergency' },
        ]}
      />
      <ServerTable<Entry>
        list={list}
        rowKey={(e) => `${e.date}-${e.personIdNumber}-${e.programmeName}-${e.amountYuan}-${e.hospital}`}
        scrollX={1000}
        empty="暂无台账记录"
        columns={[...entryColumns, { title: '旗县区', dataIndex: 'countyName' }]}
      />
    </Space>
  );
}

function RegisterLookup() {
  const submit = useSubmit();
  const [result, setResult] = useState<Lookup | null>(null);
  const [form] = Form.useForm<{ ids: string }>();
  const idsOf = (text: string) =>
    text
      .split(/[\s,，、]+/)
      .map((t) => t.trim().toUpperCase())
      .filter(Boolean);
  const look = async (v: { ids: string }) => {
    const found = await submit.run(() =>
      api<Lookup>('POST', `${BASE}/lookup`, { memberIdNumbers: idsOf(v.ids), purpose: PURPOSE }),
    );
    if (found) setResult(found);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Form
        name="register-lookup"
        form={form}
        layout="vertical"
        disabled={submit.busy}
        onFinish={(v) => void look(v)}
      >
        <Form.Item
          name="ids"
          label="家庭成员身份证号码（每行一个，最多30人）"
          extra={<span style={muted}>每人每次查询都记入个人信息查看记录</span>}
          rules={[
            {
              validator: async (_: unknown, v?: string) => {
                const ids = idsOf(v ?? '');
                if (ids.length === 0) throw new Error('请填写至少一个身份证号码');
                if (ids.length > 30) throw new Error('一次最多查询30人');
                for (const id of ids) {
                  const problem = residentIdProblem(id);
                  if (problem) throw new Error(`${id}：${problem}`);
                }
              },
            },
          ]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submit.busy}>
          查询
        </Button>
      </Form>
      {submit.error && <Alert type="error" showIcon role="alert" message={submit.error} />}
      {result && (
        <>
          <Descriptions column={1} bordered size="small" title="家庭经济状况核对将回复">
            <Descriptions.Item label="核对期间">
              {result.answer.period.from} 至 {result.answer.period.to}
            </Descriptions.Item>
            {result.answer.result === 'nothing_on_record' ? (
              <Descriptions.Item label="回复">
                <span data-testid="register-answer">{result.answer.statement}</span>
              </Descriptions.Item>
            ) : (
              result.answer.members.map((m) => (
                <Descriptions.Item key={m.idNumber} label={m.idNumber}>
                  <span data-testid="register-answer">
                    {m.onRecord
                      ? `医疗费用 ${yuan(m.medicalExpensesYuan)}，个人负担 ${yuan(m.personalPaymentYuan)}，获得救助 ${yuan(m.assistancePaidYuan)}${m.seriousIllness ? '，患重特大疾病' : ''}`
                      : '无记录'}
                  </span>
                </Descriptions.Item>
              ))
            )}
          </Descriptions>
          <Table<Entry>
            rowKey={(e) => `${e.date}-${e.personIdNumber}-${e.programmeName}-${e.amountYuan}-${e.hospital}`}
            size="small"
            pagination={false}
            dataSource={result.entries}
            scroll={{ x: 900 }}
            locale={{ emptyText: <span style={muted}>{'台账中没有这些人员的记录'}</span> }}
            columns={entryColumns}
          />
        </>
      )}
    </Space>
  );
}
