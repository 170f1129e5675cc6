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
import { api, ApiError } from '../api';
import { useCounties, useServerPage, useSubmit } from '../hooks';
import { beijingToday } from '../labels';
import { RESIDENT_ID_RULES } from '../resident-id';
import { useSession } from '../session';
import { FormDialog, muted, nowrap, ServerTable, StepForm, TAG, yuan } from '../ui';
import { CountyField, RequiredSelect } from './DepartmentFormCard';
import { SettlementFields, settlementOf, type SettlementValues } from './SettlementFields';

const BASE = '/health/medical-assistance';
const PURPOSE = '医疗救助结算审核';

/** The categories a health officer records (dibao and special hardship come from civil affairs). */
const CATEGORIES = [
  { value: 'low_income_margin', label: '低保边缘家庭成员' },
  { value: 'poverty_monitoring', label: '防止返贫监测对象' },
  { value: 'impoverished_by_illness', label: '因病致贫重病患者' },
  { value: 'dibao', label: '低保对象（民政部门未传来时）' },
  { value: 'special_hardship', label: '特困人员（民政部门未传来时）' },
];
interface Row {
  claimId: string;
  countyName: string;
  personName: string;
  personIdNumber: string;
  serviceDate: string;
  hospital: string;
  totalCostYuan: number;
  categoryName: string;
  ratioPercent: number;
  assistanceYuan: number;
  personalPaymentYuan: number;
  status: string;
  statusName: string;
}

interface Claim {
  claimId: string;
  serviceDate: string;
  hospital: string;
  totalCostYuan: number;
  categoryName: string;
  assistanceYuan: number;
  personalPaymentYuan: number;
  statusName: string;
  explanation: string | string[];
}

interface PersonRecord {
  person: { name: string | null; idNumber: string } | null;
  asOf: string;
  /** Null when the person has no record yet. */
  standing: {
    year: number;
    categoryName: string;
    ratioPercent: number;
    annualCapYuan: number;
    paidYuan: number;
    remainingYuan: number;
    deductibleRemainingYuan: number;
  } | null;
  categories: {
    factId: string;
    kindName: string;
    categoryName: string | null;
    effectiveFrom: string;
    source: string;
    recordedAt: string;
  }[];
  claims: Claim[];
}

interface ClaimForm extends SettlementValues {
  countyCode?: string;
  name: string;
  idNumber: string;
}

const explained = (e: string | string[]) => (Array.isArray(e) ? e.join('；') : e);

/**
 * 医疗救助结算: a health officer enters a hospital settlement and the platform computes the assistance
 * (the policy in force on the day, the person's category then, the year's deductible and cap — never
 * typed); the county's settlements are listed by status and year, masked. A person's record (looked up by
 * ID number, recorded in the access log) shows the year's standing, the categories on record and every
 * settlement; there the officer records a category civil affairs does not send (低保边缘, 防止返贫监测,
 * 因病致贫), from a date. Auditors read.
 */
export default function MedicalAssistancePage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const officer = session?.user.role === 'health_officer';
  const [status, setStatus] = useState('');
  const [year, setYear] = useState(beijingToday().slice(0, 4));
  const list = useServerPage<Row>(`${BASE}/claims`, { status, year: year || undefined });
  const [entering, setEntering] = useState(false);
  const [assessed, setAssessed] = useState<Claim | null>(null);
  const [record, setRecord] = useState<PersonRecord | null>(null);
  const submit = useSubmit();
  const lookup = useSubmit();
  // The city's officer enters for any county, choosing it; a county's officer for their own.
  const county = useCounties(message.error);
  const [form] = Form.useForm<ClaimForm>();
  const [lookupForm] = Form.useForm<{ idNumber: string }>();

  const open = async (typed: string) => {
    const idNumber = typed.trim().toUpperCase();
    const r = await lookup.run(() =>
      api<PersonRecord>('POST', `${BASE}/people/lookup`, { idNumber, purpose: PURPOSE }).catch(
        (e: unknown) => {
          // No record yet: a category recognised before any settlement can still be recorded.
          if (e instanceof ApiError && e.code === 'PERSON_NOT_FOUND')
            return { person: { name: null, idNumber }, asOf: '', standing: null, categories: [], claims: [] };
          throw e;
        },
      ),
    );
    if (r) setRecord(r);
  };
  const enter = async (v: ClaimForm) => {
    const r = await submit.run(() =>
      api<{ claim: Claim; alreadyAssessed: boolean }>('POST', `${BASE}/claims`, {
        ...settlementOf(v),
        person: { idNumber: v.idNumber.trim().toUpperCase(), name: v.name.trim() },
        countyCode: v.countyCode ?? county.own,
      }),
    );
    if (!r) return;
    setAssessed(r.claim);
    message.success(r.alreadyAssessed ? '该结算单此前已核定，结果如下' : '已核定医疗救助金额');
    list.reload();
  };
  const recordCategory = async (v: {
    countyCode?: string;
    kind: string;
    category?: string;
    effectiveFrom: string;
    source: string;
  }) => {
    if (!record?.person) return;
    const r = await submit.run(() =>
      api('POST', `${BASE}/categories`, {
        person: {
          idNumber: record.person!.idNumber,
          ...(record.person!.name ? { name: record.person!.name } : {}),
        },
        countyCode: v.countyCode ?? county.own,
        kind: v.kind,
        category: v.kind === 'suspended' ? null : v.category,
        effectiveFrom: v.effectiveFrom,
        source: v.source.trim(),
      }),
    );
    if (r === undefined) return;
    message.success('已登记救助对象类别');
    await open(record.person.idNumber);
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          医疗救助结算
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Form
          name="medical-person"
          form={lookupForm}
          layout="inline"
          disabled={lookup.busy}
          onFinish={(v) => void open(v.idNumber)}
        >
          <Form.Item name="idNumber" label="个人医疗救助记录" rules={RESIDENT_ID_RULES}>
            <Input maxLength={18} placeholder="身份证号码" style={{ width: 220 }} />
          </Form.Item>
          <Button htmlType="submit" loading={lookup.busy}>
            查询
          </Button>
        </Form>
        {lookup.error && <Alert type="error" showIcon role="alert" message={lookup.error} />}
        <Space wrap>
          <Segmented
            aria-label="按状态筛选结算"
            value={status}
            onChange={(v) => setStatus(String(v))}
            options={[
              { label: '全部', value: '' },
              { label: '已救助', value: 'assisted' },
              { label: '达到年度限额', value: 'capped' },
              { label: '无救助金额', value: 'none' },
            ]}
          />
          <Input
            aria-label="结算年度"
            addonBefore="年度"
            style={{ width: 140 }}
            maxLength={4}
            value={year}
            onChange={(e) => setYear(e.target.value.replace(/\D/g, ''))}
          />
          {officer && (
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                submit.setError(null);
                setAssessed(null);
                setEntering(true);
              }}
            >
              录入结算
            </Button>
          )}
        </Space>
        <ServerTable<Row>
          list={list}
          rowKey="claimId"
          scrollX={false}
          empty="暂无结算"
          columns={[
            { title: '结算单号', dataIndex: 'claimId', render: nowrap },
            // Officers and auditors of the city read every county's settlements.
            ...(county.own ? [] : [{ title: '旗县区', dataIndex: 'countyName', render: nowrap }]),
            { title: '救助对象', dataIndex: 'personName' },
            { title: '身份证号码', dataIndex: 'personIdNumber', render: nowrap },
            { title: '结算日期', dataIndex: 'serviceDate', render: nowrap },
            { title: '医疗机构', dataIndex: 'hospital' },
            { title: '医疗总费用', render: (_: unknown, r) => nowrap(yuan(r.totalCostYuan)) },
            { title: '类别', render: (_: unknown, r) => `${r.categoryName}（${r.ratioPercent}%）` },
            { title: '救助金额', render: (_: unknown, r) => nowrap(yuan(r.assistanceYuan)) },
            {
              title: '状态',
              render: (_: unknown, r) => (
                <Tag style={r.status === 'none' ? TAG.stopped : r.status === 'capped' ? TAG.open : TAG.done}>
                  {r.statusName}
                </Tag>
              ),
            },
          ]}
        />
      </Space>

      <FormDialog
        title="录入医疗救助结算"
        open={entering}
        onClose={() => setEntering(false)}
        form={form}
        okText="核定救助金额"
        busy={submit.busy}
        error={submit.error}
        width={680}
      >
        {assessed && (
          <Alert
            type="success"
            showIcon
            role="status"
            style={{ marginBottom: 16 }}
            data-testid="claim-assessed"
            message={`结算单 ${assessed.claimId}：核定医疗救助 ${yuan(assessed.assistanceYuan)}（${assessed.categoryName}），个人负担 ${yuan(assessed.personalPaymentYuan)}`}
            description={explained(assessed.explanation)}
          />
        )}
        <Form<ClaimForm>
          name="medical-claim"
          form={form}
          layout="vertical"
          initialValues={{ serviceDate: beijingToday(), seriousIllness: false }}
          onFinish={(v) => void enter(v)}
        >
          <Space wrap size="middle" align="start">
            <Form.Item
              name="name"
              label="救助对象姓名"
              rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
            >
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="idNumber" label="救助对象身份证号码" required rules={RESIDENT_ID_RULES}>
              <Input maxLength={18} />
            </Form.Item>
          </Space>
          <CountyField counties={county.own ? null : county.counties} />
          <SettlementFields />
        </Form>
      </FormDialog>

      <Drawer
        open={record !== null}
        width={760}
        title={
          record?.person
            ? `个人医疗救助记录 · ${record.person.name ?? record.person.idNumber}`
            : '个人医疗救助记录'
        }
        onClose={() => setRecord(null)}
        destroyOnClose
      >
        {record && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            {record.person && (
              <Descriptions column={1} bordered size="small">
                <Descriptions.Item label="救助对象">
                  {record.person.name ?? '—'}（{record.person.idNumber}）
                </Descriptions.Item>
                {!record.standing ? (
                  <Descriptions.Item label="记录">
                    <span data-testid="medical-standing">尚无医疗救助记录；可先登记救助对象类别</span>
                  </Descriptions.Item>
                ) : (
                  <Descriptions.Item label={`${record.standing.year} 年度`}>
                    <span data-testid="medical-standing">
                      {record.standing.categoryName}，救助比例 {record.standing.ratioPercent}%；年度限额{' '}
                      {yuan(record.standing.annualCapYuan)}，已救助 {yuan(record.standing.paidYuan)}，剩余{' '}
                      {yuan(record.standing.remainingYuan)}
                    </span>
                  </Descriptions.Item>
                )}
              </Descriptions>
            )}
            <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
              救助对象类别
            </Typography.Title>
            <Table
              size="small"
              rowKey="factId"
              pagination={false}
              dataSource={record.categories}
              locale={{ emptyText: <span style={muted}>没有类别记录（按其他人员救助）</span> }}
              columns={[
                { title: '生效日期', dataIndex: 'effectiveFrom', render: nowrap },
                { title: '记录', dataIndex: 'kindName' },
                { title: '类别', dataIndex: 'categoryName', render: (c: string | null) => c ?? '—' },
                { title: '认定依据', dataIndex: 'source' },
              ]}
            />
            <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
              结算
            </Typography.Title>
            <Table<Claim>
              size="small"
              rowKey="claimId"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={record.claims}
              locale={{ emptyText: <span style={muted}>没有结算</span> }}
              // How each amount was computed, opened row by row.
              expandable={{
                expandedRowRender: (c) => explained(c.explanation),
                columnTitle: '说明',
                expandIcon: ({ expanded, onExpand, record: c }) => (
                  <Button size="small" type="link" aria-expanded={expanded} onClick={(e) => onExpand(c, e)}>
                    {expanded ? '收起' : '核定说明'}
                  </Button>
                ),
              }}
              columns={[
                { title: '结算单号', dataIndex: 'claimId', render: nowrap },
                { title: '日期', dataIndex: 'serviceDate', render: nowrap },
                { title: '医疗机构', dataIndex: 'hospital' },
                { title: '类别', dataIndex: 'categoryName', render: nowrap },
                { title: '医疗总费用', dataIndex: 'totalCostYuan', render: (n: number) => nowrap(yuan(n)) },
                { title: '救助金额', dataIndex: 'assistanceYuan', render: (n: number) => nowrap(yuan(n)) },
              ]}
            />
            {officer && record.person && (
              <StepForm<{
                countyCode?: string;
                kind: string;
                category?: string;
                effectiveFrom: string;
                source: string;
              }>
                name="medical-category"
                title="登记救助对象类别"
                submitText="登记类别"
                busy={submit.busy}
                initialValues={{ kind: 'granted', effectiveFrom: beijingToday() }}
                onFinish={(v) => void recordCategory(v)}
              >
                <Typography.Paragraph style={muted}>
                  民政部门认定的低保、特困自动接收；其他部门的认定在此登记，自生效日期起适用于此后的结算。
                </Typography.Paragraph>
                <Space wrap size="middle" align="start">
                  <CountyField counties={county.own ? null : county.counties} />
                  <Form.Item
                    name="kind"
                    label="记录类型"
                    rules={[{ required: true, message: '请选择记录类型' }]}
                  >
                    <RequiredSelect
                      style={{ width: 140 }}
                      options={[
                        { value: 'granted', label: '认定' },
                        { value: 'changed', label: '变更' },
                        { value: 'suspended', label: '停止' },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
                    {({ getFieldValue }) =>
                      getFieldValue('kind') !== 'suspended' && (
                        <Form.Item
                          name="category"
                          label="救助对象类别"
                          rules={[{ required: true, message: '请选择救助对象类别' }]}
                        >
                          <RequiredSelect style={{ width: 260 }} options={CATEGORIES} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <Form.Item
                    name="effectiveFrom"
                    label="生效日期"
                    rules={[{ required: true, message: '请填写生效日期' }]}
                  >
                    <Input type="date" style={{ width: 180 }} />
                  </Form.Item>
                </Space>
                <Form.Item
                  name="source"
                  label="认定依据"
                  rules={[{ required: true, whitespace: true, message: '请填写认定依据' }]}
                >
                  <Input maxLength={200} />
                </Form.Item>
              </StepForm>
            )}
            {submit.error && !entering && <Alert type="error" showIcon role="alert" message={submit.error} />}
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
