import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Input,
  Pagination,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import {
  beijingTime,
  beijingTimeSeconds,
  beijingWallTime,
  CASE_STATUS_NAMES,
  CATEGORY_NAMES,
  eventName,
  jurisdictionName,
  label,
  LEDGER_DEPARTMENT_NAMES,
  OUTCOME_NAMES,
  REFERRAL_STATUS_NAMES,
  ROLE_NAMES,
  townshipOf,
  URGENCY_NAMES,
} from '../labels';

interface CaseRow {
  caseId: string;
  caseNumber: string;
  status: string;
  urgency: string;
  villageName?: string;
  applicantName: string;
  categories: string[];
  openedAt: string;
}

interface LedgerItem {
  position: number;
  eventId: string;
  type: string;
  department: string;
  data: Record<string, unknown>;
  actor: {
    id: string;
    name?: string;
    role: string;
    department: string;
    jurisdiction: string;
    organisation?: string;
  };
  occurredAt: string;
  sourceRecordedAt: string;
}

interface ReplayedReferral {
  referralId: string;
  needId: string | null;
  category: string | null;
  department: string;
  jurisdiction: string | null;
  status: string;
  overdue: string[];
  outcome: string | null;
  amount: number | null;
  reason: string | null;
  updatedAt: string;
}

interface CaseState {
  at: string | null;
  state: {
    caseId: string;
    caseNumber: string | null;
    status: 'unknown' | 'opened' | 'accepted';
    urgency: string | null;
    countyCode: string | null;
    categories: string[];
    referrals: ReplayedReferral[];
    reportedToGovernment: { needId: string; category: string; reason: string; at: string }[];
    asOf: string | null;
  };
}

const CASE_PAGE_SIZE = 10;
const TIMELINE_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CASE_NUMBER = /^\d{6}-\d{4}-\d{6}$/;
const OVERDUE_STEPS: Record<string, string> = {
  acknowledge: '签收',
  decide: '作出决定',
  complete: '办结',
};
const errorText = (e: unknown, fallback: string) => (e instanceof ApiError ? e.message : fallback);

/** The facts of an event worth a line: category, department, reason, outcome, amount, deadline. */
function details(d: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof d.caseNumber === 'string') out.push(`案件编号 ${d.caseNumber}`);
  if (Array.isArray(d.categories))
    out.push(`求助类别：${(d.categories as string[]).map((c) => label(CATEGORY_NAMES, c)).join('、')}`);
  if (typeof d.category === 'string') out.push(`求助类别：${label(CATEGORY_NAMES, d.category)}`);
  if (typeof d.department === 'string') out.push(`承办部门：${label(LEDGER_DEPARTMENT_NAMES, d.department)}`);
  if (typeof d.urgency === 'string' && d.urgency === 'urgent') out.push('紧急');
  if (typeof d.outcome === 'string') out.push(`结果：${label(OUTCOME_NAMES, d.outcome)}`);
  if (typeof d.amount === 'number') out.push(`金额：${d.amount.toLocaleString('zh-CN')} 元`);
  if (typeof d.reason === 'string') out.push(`理由：${d.reason}`);
  if (typeof d.decision === 'string') out.push(`处理决定：${d.decision}`);
  if (typeof d.deadline === 'string') out.push(`期限：${OVERDUE_STEPS[d.deadline] ?? d.deadline}`);
  return out;
}

/** Division names this case tells: its village and township (from the village's full name). */
type Places = Record<string, string>;

function placesOf(items: LedgerItem[], villageName: string | undefined): Places {
  const opened = items.find(
    (i) => typeof i.data.villageCode === 'string' && typeof i.data.countyCode === 'string',
  );
  if (!opened || !villageName) return {};
  const village = opened.data.villageCode as string;
  const county = opened.data.countyCode as string;
  const township = townshipOf(villageName, county);
  const countyName = jurisdictionName(county);
  return {
    [village]: villageName,
    ...(township ? { [`${village.slice(0, 9)}000`]: `${countyName}${township}` } : {}),
  };
}

const actorText = (a: LedgerItem['actor'], places: Places) =>
  // What the platform did by itself (a referral received, a deadline passed) is no person's act.
  a.id === 'system' || a.id.startsWith('system:')
    ? `平台自动处理 · ${label(LEDGER_DEPARTMENT_NAMES, a.department)}`
    : [
        a.name,
        label(ROLE_NAMES, a.role),
        label(LEDGER_DEPARTMENT_NAMES, a.department),
        a.organisation,
        places[a.jurisdiction] ?? jurisdictionName(a.jurisdiction),
      ]
        .filter(Boolean)
        .join(' · ');

/** The Beijing wall time of an instant, to the millisecond: the state then includes the event. */
const exactly = (iso: string) => beijingWallTime(new Date(iso), true);

export default function AuditTracePage() {
  const [params, setParams] = useSearchParams();
  const caseId = params.get('case');
  const [page, setPage] = useState(1);
  const [cases, setCases] = useState<Page<CaseRow> | null>(null);
  const [casesError, setCasesError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  // Village names of the cases seen in the list or the search: the timeline names places with them.
  const [villages, setVillages] = useState<Record<string, string>>({});
  const remember = (rows: CaseRow[]) =>
    setVillages((v) => ({
      ...v,
      ...Object.fromEntries(rows.filter((r) => r.villageName).map((r) => [r.caseId, r.villageName!])),
    }));

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(CASE_PAGE_SIZE) });
    api<Page<CaseRow>>('GET', `/cases?${q}`)
      .then((d) => live && (setCases(d), remember(d.items), setCasesError(null)))
      .catch((e) => live && setCasesError(errorText(e, '加载失败')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [page]);

  const open = (id: string) => setParams({ case: id });

  // No endpoint finds a case by its number: an id opens directly, a number is looked for page by page.
  const find = async () => {
    const v = search.trim();
    setSearchError(null);
    if (UUID.test(v)) return open(v.toLowerCase());
    if (!CASE_NUMBER.test(v)) {
      setSearchError('请输入案件编号（如 150802-2026-000123）或案件标识');
      return;
    }
    setSearching(true);
    try {
      for (let p = 1; p <= 50; p++) {
        const d = await api<Page<CaseRow>>('GET', `/cases?page=${p}&pageSize=100`);
        const hit = d.items.find((c) => c.caseNumber === v);
        if (hit) {
          remember([hit]);
          return open(hit.caseId);
        }
        if (p * d.pageSize >= d.total) break;
      }
      setSearchError(`本辖区没有编号为 ${v} 的案件`);
    } catch (e) {
      setSearchError(errorText(e, '查询失败'));
    } finally {
      setSearching(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            案件追溯
          </Typography.Title>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space.Compact style={{ maxWidth: 560, width: '100%' }}>
            <Input
              aria-label="案件编号或标识"
              placeholder="输入案件编号（如 150802-2026-000123）或案件标识"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onPressEnter={() => void find()}
              allowClear
            />
            <Button type="primary" loading={searching} onClick={() => void find()}>
              追溯
            </Button>
          </Space.Compact>
          {searchError && <Alert type="error" showIcon message={searchError} />}
          {casesError && <Alert type="error" showIcon message={casesError} />}
          <Table<CaseRow>
            rowKey="caseId"
            size="small"
            loading={loading}
            dataSource={cases?.items ?? []}
            rowClassName={(r) => (r.caseId === caseId ? 'ant-table-row-selected' : '')}
            pagination={{
              current: page,
              pageSize: CASE_PAGE_SIZE,
              total: cases?.total ?? 0,
              showSizeChanger: false,
              showTotal: (t) => `共 ${t} 件`,
              onChange: setPage,
            }}
            columns={[
              { title: '案件编号', dataIndex: 'caseNumber', render: (n: string) => <span>{n}</span> },
              { title: '申请人', dataIndex: 'applicantName' },
              { title: '所在村（社区）', dataIndex: 'villageName', render: (v?: string) => v ?? '—' },
              {
                title: '求助类别',
                dataIndex: 'categories',
                render: (cs: string[]) => cs.map((c) => label(CATEGORY_NAMES, c)).join('、'),
              },
              { title: '紧急程度', dataIndex: 'urgency', render: (u: string) => label(URGENCY_NAMES, u) },
              { title: '状态', dataIndex: 'status', render: (s: string) => label(CASE_STATUS_NAMES, s) },
              { title: '登记时间', dataIndex: 'openedAt', render: (t: string) => beijingTime(t) },
              {
                title: '操作',
                render: (_: unknown, r) => (
                  <Button size="small" onClick={() => open(r.caseId)} aria-label={`追溯 ${r.caseNumber}`}>
                    追溯
                  </Button>
                ),
              },
            ]}
          />
        </Space>
      </Card>
      {caseId && <CaseTrace key={caseId} caseId={caseId} villageName={villages[caseId]} />}
    </Space>
  );
}

function CaseTrace({ caseId, villageName }: { caseId: string; villageName?: string }) {
  const [page, setPage] = useState(1);
  const [timeline, setTimeline] = useState<Page<LedgerItem> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [at, setAt] = useState<Dayjs | null>(() => dayjs(beijingWallTime(new Date())));
  const [state, setState] = useState<CaseState | null>(null);
  const [stateError, setStateError] = useState<string | null>(null);
  const [stateLoading, setStateLoading] = useState(false);
  const [caseNumber, setCaseNumber] = useState<string | null>(null);
  const [opening, setOpening] = useState<LedgerItem[]>([]);
  const places = useMemo(() => placesOf(opening, villageName), [opening, villageName]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(TIMELINE_PAGE_SIZE) });
    api<Page<LedgerItem>>('GET', `/cases/${caseId}/timeline?${q}`)
      .then((d) => {
        if (!live) return;
        setTimeline(d);
        setError(null);
        const opened = d.items.find((i) => typeof i.data.caseNumber === 'string');
        if (opened) setCaseNumber(opened.data.caseNumber as string);
        if (d.items.some((i) => typeof i.data.villageCode === 'string')) setOpening(d.items);
      })
      .catch((e) => live && setError(errorText(e, '加载失败')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [caseId, page]);

  const loadState = useCallback(
    (when: string | null) => {
      if (!when) return;
      setStateLoading(true);
      const q = new URLSearchParams({ at: when });
      api<CaseState>('GET', `/cases/${caseId}/state?${q}`)
        .then((s) => {
          setState(s);
          setStateError(null);
          if (s.state.caseNumber) setCaseNumber(s.state.caseNumber);
        })
        .catch((e) => setStateError(errorText(e, '查询失败')))
        .finally(() => setStateLoading(false));
    },
    [caseId],
  );

  // An event's moment, to the millisecond (the picker shows seconds): the state just after it.
  const pick = (iso: string) => {
    const when = exactly(iso);
    setAt(dayjs(when.slice(0, 19)));
    loadState(when);
  };

  return (
    <>
      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            案件 {caseNumber ?? ''} 的办理记录
          </Typography.Title>
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        {timeline && timeline.items.length === 0 && !loading && (
          <Empty description="账本中暂无该案件的记录" />
        )}
        <div data-testid="case-timeline" aria-busy={loading}>
          <Timeline
            mode="left"
            items={(timeline?.items ?? []).map((e) => ({
              key: e.eventId,
              color: /Overdue|Declined|Revoked|Refused/.test(e.type) ? 'red' : 'blue',
              label: <span style={{ whiteSpace: 'nowrap' }}>{beijingTimeSeconds(e.sourceRecordedAt)}</span>,
              children: (
                <div data-testid="timeline-event">
                  <Space wrap>
                    <Typography.Text strong>{eventName(e.type)}</Typography.Text>
                    <Tag>{label(LEDGER_DEPARTMENT_NAMES, e.department)}</Tag>
                    <Button size="small" type="link" onClick={() => pick(e.sourceRecordedAt)}>
                      查看此后的状态
                    </Button>
                  </Space>
                  <div>经办：{actorText(e.actor, places)}</div>
                  {details(e.data).map((t) => (
                    <div key={t} style={{ color: '#555' }}>
                      {t}
                    </div>
                  ))}
                </div>
              ),
            }))}
          />
        </div>
        {(timeline?.total ?? 0) > TIMELINE_PAGE_SIZE && (
          <Pagination
            current={page}
            pageSize={TIMELINE_PAGE_SIZE}
            total={timeline?.total ?? 0}
            showSizeChanger={false}
            showTotal={(t) => `共 ${t} 条`}
            onChange={setPage}
          />
        )}
      </Card>
      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            案件在某一时刻的状态
          </Typography.Title>
        }
        extra={<Link to={`/workbench/audit/diff?case=${caseId}`}>比对两个时刻的差异</Link>}
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap>
            <label htmlFor="state-at">时刻（北京时间）</label>
            <DatePicker
              id="state-at"
              showTime
              format="YYYY-MM-DD HH:mm:ss"
              value={at}
              onChange={(v) => setAt(v)}
              allowClear={false}
            />
            <Button
              type="primary"
              loading={stateLoading}
              onClick={() => loadState(at ? at.format('YYYY-MM-DD HH:mm:ss') : null)}
            >
              查看状态
            </Button>
          </Space>
          {stateError && <Alert type="error" showIcon message={stateError} />}
          {state && <StateView s={state} />}
        </Space>
      </Card>
    </>
  );
}

function StateView({ s }: { s: CaseState }) {
  const c = s.state;
  if (c.status === 'unknown')
    return <Alert type="info" showIcon message={`${beijingTimeSeconds(s.at)} 时该案件尚未登记`} />;
  return (
    <div data-testid="case-state">
      <Descriptions column={2} bordered size="small">
        <Descriptions.Item label="时刻">{beijingTimeSeconds(s.at)}</Descriptions.Item>
        <Descriptions.Item label="案件状态">
          <span data-testid="state-status">{label(CASE_STATUS_NAMES, c.status)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="求助类别">
          {c.categories.map((x) => label(CATEGORY_NAMES, x)).join('、') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label="紧急程度">{label(URGENCY_NAMES, c.urgency)}</Descriptions.Item>
        <Descriptions.Item label="所属旗县区">{jurisdictionName(c.countyCode)}</Descriptions.Item>
        <Descriptions.Item label="截至最后一条记录">{beijingTimeSeconds(c.asOf)}</Descriptions.Item>
      </Descriptions>
      <Table<ReplayedReferral>
        style={{ marginTop: 16 }}
        size="small"
        rowKey="referralId"
        pagination={false}
        dataSource={c.referrals}
        locale={{ emptyText: '此时尚未转办' }}
        columns={[
          {
            title: '求助事项',
            dataIndex: 'category',
            render: (x: string | null) => label(CATEGORY_NAMES, x),
          },
          {
            title: '承办部门',
            dataIndex: 'department',
            render: (d: string) => label(LEDGER_DEPARTMENT_NAMES, d),
          },
          { title: '转办状态', dataIndex: 'status', render: (x: string) => label(REFERRAL_STATUS_NAMES, x) },
          {
            title: '逾期',
            dataIndex: 'overdue',
            render: (o: string[]) => (o.length ? o.map((x) => OVERDUE_STEPS[x] ?? x).join('、') : '—'),
          },
          { title: '结果', dataIndex: 'outcome', render: (x: string | null) => label(OUTCOME_NAMES, x) },
          {
            title: '金额（元）',
            dataIndex: 'amount',
            render: (a: number | null) => (a != null ? a.toLocaleString('zh-CN') : '—'),
          },
          { title: '最近变化', dataIndex: 'updatedAt', render: (t: string) => beijingTimeSeconds(t) },
        ]}
      />
      {c.reportedToGovernment.length > 0 && (
        <Alert
          style={{ marginTop: 16 }}
          type="warning"
          showIcon
          message={`已上报政府：${c.reportedToGovernment.map((r) => label(CATEGORY_NAMES, r.category)).join('、')}`}
        />
      )}
    </div>
  );
}
