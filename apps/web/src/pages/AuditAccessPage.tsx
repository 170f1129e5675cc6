import { Alert, Button, Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { beijingTimeSeconds } from '../labels';
import { actorName, caseName, useNames, type RecordedActor } from './AuditNames';

/** Where views of personal data are recorded: each department's own log, and oversight's for ledger reads. */
const SOURCES = [
  { value: 'intake', label: '一门受理', path: '/intake/audit/access-log' },
  { value: 'civil-affairs', label: '民政部门', path: '/civil-affairs/referrals/-/access-log' },
  { value: 'health', label: '卫生健康部门', path: '/health/referrals/-/access-log' },
  { value: 'housing', label: '住房部门', path: '/housing/referrals/-/access-log' },
  { value: 'education', label: '教育部门', path: '/education/referrals/-/access-log' },
  { value: 'oversight', label: '账本查阅（追溯）', path: '/oversight/access-log' },
] as const;

interface AccessRow {
  eventId: string;
  resourceType: string;
  resourceId: string;
  caseId: string | null;
  fields: string[];
  purpose: string | null;
  viewedAt: string;
  recordedAt: string;
  actor: RecordedActor;
}

const RESOURCES: Record<string, string> = {
  case: '案件详情',
  referral: '转办事项',
  ledger: '案件账本',
  stream: '内部事件流',
  'education-student': '教育资助学生',
  'education-register': '教育资助台账',
  'house-renovation': '危房改造',
  'rental-subsidy': '租赁补贴',
  'housing-register': '住房救助台账',
  'disease-emergency': '疾病应急救助',
  'medical-assistance-person': '医疗救助对象',
  'health-register': '医疗救助台账',
  'staff-filing': '近亲属备案',
  'household-verification': '家庭经济状况核对',
};

const FIELDS: Record<string, string> = {
  timeline: '办理记录（时间线）',
  state: '某一时刻的状态',
  diff: '两个时刻的差异',
  events: '事件',
  claims: '医疗费用',
  categories: '救助对象类别',
  answers: '核对结果',
  address: '住址',
  description: '困难情况',
  need: '求助事项',
  'register.entries': '台账条目',
  'hardship.description': '困难情况',
  'visits.content': '走访内容',
  'outcome.summary': '服务结果',
  'meetings.minutes': '会议纪要',
  'followUps.note': '跟进记录',
  'notify.email': '申请人通知邮箱',
};
const FIELD_TAILS: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号码',
  phone: '联系电话',
  headName: '户主姓名',
  headIdNumber: '户主身份证号码',
  memberIdNumbers: '家庭成员身份证号码',
  householdName: '户主姓名',
  studentName: '学生姓名',
};
const WHOSE: Record<string, string> = {
  household: '家庭成员',
  members: '家庭成员',
  student: '学生',
  patient: '患者',
  person: '救助对象',
  relatives: '近亲属',
  staff: '经办人员',
  recipients: '救助对象',
};

function fieldName(f: string): string {
  if (FIELDS[f]) return FIELDS[f];
  const [head, tail] = f.includes('.') ? f.split('.', 2) : [null, f];
  const what = FIELD_TAILS[tail!] ?? '其他信息';
  return head && WHOSE[head] ? `${WHOSE[head]}${what}` : what;
}

const PURPOSES: Record<string, string> = { accountability: '责任追究（审计查阅）', replay: '回放事件流' };
const PAGE_SIZE = 20;
const CASE_NUMBER = /^\d{6}-\d{4}-\d{6}$/;

export default function AuditAccessPage() {
  const [params, setParams] = useSearchParams();
  const source = SOURCES.find((s) => s.value === params.get('source')) ?? SOURCES[0];
  const caseId = params.get('case') ?? undefined;
  const actorId = params.get('actor') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const [data, setData] = useState<Page<AccessRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [caseInput, setCaseInput] = useState('');
  const [caseError, setCaseError] = useState<string | null>(null);

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({
      page: String(page),
      pageSize: String(PAGE_SIZE),
      ...(caseId ? { caseId } : {}),
      ...(actorId ? { actorId } : {}),
    });
    api<Page<AccessRow>>('GET', `${source.path}?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [source.path, caseId, actorId, page]);

  const rows = data?.items ?? [];
  const names = useNames(
    [...rows.map((r) => r.actor.id), actorId],
    rows.map((r) => r.actor.jurisdiction),
    [...rows.map((r) => r.caseId), caseId],
  );

  // The filters are named as the rows are: the case by its number, the officer by name.
  const filterNames = {
    case: caseId ? (names.cases[caseId]?.caseNumber ?? undefined) : undefined,
    actor: actorId ? names.users[actorId]?.name : undefined,
  };

  const findCase = async () => {
    const v = caseInput.trim();
    setCaseError(null);
    if (!v) return set({ case: undefined });
    if (!CASE_NUMBER.test(v)) return setCaseError('请输入案件编号，如 150802-2026-000123');
    try {
      const found = await api<{ items: { caseId: string }[] }>(
        'GET',
        `/oversight/case-labels?numbers=${encodeURIComponent(v)}`,
      );
      if (!found.items.length) return setCaseError(`没有编号为 ${v} 的案件`);
      set({ case: found.items[0]!.caseId });
    } catch (e) {
      setCaseError(e instanceof ApiError ? e.message : '查询失败');
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          访问记录
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph style={{ margin: 0 }}>
          谁在何时、为何查看了哪个案件中的个人信息。每次查看都记入该部门的防篡改事件库。
        </Typography.Paragraph>
        <Segmented
          aria-label="记录来源"
          value={source.value}
          onChange={(v) => set({ source: String(v) })}
          options={SOURCES.map((s) => ({ value: s.value, label: s.label }))}
        />
        <Space wrap>
          <Space.Compact>
            <Input
              aria-label="按案件编号筛选"
              placeholder="案件编号，如 150802-2026-000123"
              style={{ width: 280 }}
              value={caseInput}
              onChange={(e) => setCaseInput(e.target.value)}
              onPressEnter={() => void findCase()}
              allowClear
            />
            <Button onClick={() => void findCase()}>筛选</Button>
          </Space.Compact>
          {caseId && (
            <Tag closable onClose={() => set({ case: undefined })}>
              案件：{filterNames.case ?? '…'}
            </Tag>
          )}
          {actorId && (
            <Tag closable onClose={() => set({ actor: undefined })}>
              查看人：{filterNames.actor ?? '…'}
            </Tag>
          )}
        </Space>
        {caseError && <Alert type="error" showIcon message={caseError} />}
        {error && <Alert type="error" showIcon message={error} />}
        <Table<AccessRow>
          rowKey="eventId"
          size="small"
          loading={loading}
          dataSource={rows}
          locale={{ emptyText: <span style={{ color: '#595959' }}>{'没有符合条件的访问记录'}</span> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p) => set({ page: String(p) }),
          }}
          columns={[
            {
              title: '查看时间（北京时间）',
              dataIndex: 'viewedAt',
              render: (t: string, r) => (
                <span style={{ whiteSpace: 'nowrap' }}>{beijingTimeSeconds(t ?? r.recordedAt)}</span>
              ),
            },
            {
              title: '查看人',
              width: 280,
              render: (_: unknown, r) => (
                <Space direction="vertical" size={0}>
                  <span>{actorName(r.actor, names)}</span>
                  {r.actor.id !== actorId && (
                    <Button
                      type="link"
                      size="small"
                      style={{ padding: 0 }}
                      onClick={() => set({ actor: r.actor.id })}
                    >
                      只看此人
                    </Button>
                  )}
                </Space>
              ),
            },
            {
              title: '案件',
              render: (_: unknown, r) =>
                r.caseId ? (
                  <Space direction="vertical" size={0}>
                    <Link to={`/workbench/audit/cases?case=${r.caseId}`}>{caseName(names, r.caseId)}</Link>
                    {r.caseId !== caseId && (
                      <Button
                        type="link"
                        size="small"
                        style={{ padding: 0 }}
                        onClick={() => set({ case: r.caseId! })}
                      >
                        只看此案件
                      </Button>
                    )}
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: '查看内容',
              render: (_: unknown, r) =>
                `${RESOURCES[r.resourceType] ?? '其他记录'}：${r.fields.map(fieldName).join('、')}`,
            },
            {
              title: '用途',
              dataIndex: 'purpose',
              render: (p: string | null) =>
                p ? (PURPOSES[p] ?? (p.startsWith('replay at ') ? '回放事件流' : p)) : '未说明',
            },
          ]}
        />
      </Space>
    </Card>
  );
}
