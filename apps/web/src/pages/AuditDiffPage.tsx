import { Alert, Button, Card, DatePicker, Input, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import {
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
  URGENCY_NAMES,
} from '../labels';
import { actorName, lookupNames, type CaseLabel, type Names, type RecordedActor } from './AuditNames';

interface Referral {
  referralId: string;
  category: string | null;
  department: string;
  status: string;
  overdue: string[];
  outcome: string | null;
  amount: number | null;
  reason: string | null;
}

interface CaseState {
  status: 'unknown' | 'opened' | 'accepted';
  urgency: string | null;
  countyCode: string | null;
  categories: string[];
  referrals: Referral[];
  reportedToGovernment: { category: string }[];
}

interface Diff {
  by: { type: string; actor: RecordedActor; occurredAt: string; position: number }[];
}

type Kind = 'added' | 'changed' | 'removed' | 'same';
interface Line {
  key: string;
  what: string;
  kind: Kind;
  before: string;
  after: string;
}

const CASE_NUMBER = /^\d{6}-\d{4}-\d{6}$/;
const OVERDUE_STEPS: Record<string, string> = { acknowledge: '签收', decide: '作出决定', complete: '办结' };
const KINDS: Record<Kind, { text: string; row: string; tag?: React.CSSProperties }> = {
  added: {
    text: '新增',
    row: '#f6ffed',
    tag: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  },
  changed: {
    text: '变更',
    row: '#fffbe6',
    tag: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  },
  removed: {
    text: '移除',
    row: '#fff1f0',
    tag: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  },
  same: { text: '未变', row: '' },
};
const NONE = '—';

function caseFields(s: CaseState): Record<string, string> {
  if (s.status === 'unknown') return { 案件状态: '尚未登记' };
  return {
    案件状态: label(CASE_STATUS_NAMES, s.status),
    紧急程度: label(URGENCY_NAMES, s.urgency),
    求助类别: s.categories.map((c) => label(CATEGORY_NAMES, c)).join('、') || NONE,
    所属旗县区: jurisdictionName(s.countyCode),
    上报政府: s.reportedToGovernment.map((r) => label(CATEGORY_NAMES, r.category)).join('、') || '未上报',
  };
}

function referralFields(r: Referral): Record<string, string> {
  return {
    转办状态: label(REFERRAL_STATUS_NAMES, r.status),
    逾期环节: r.overdue.map((o) => OVERDUE_STEPS[o] ?? o).join('、') || '无',
    办理结果: label(OUTCOME_NAMES, r.outcome),
    救助金额: r.amount != null ? `${r.amount.toLocaleString('zh-CN')} 元` : NONE,
    理由: r.reason ?? NONE,
  };
}

const referralName = (r: Referral) =>
  `${label(CATEGORY_NAMES, r.category)} · ${label(LEDGER_DEPARTMENT_NAMES, r.department)}`;

/** Field by field, what the case was at the first moment and at the second; referrals by identity. */
function compare(a: CaseState, b: CaseState): Line[] {
  const lines: Line[] = [];
  const fields = (
    prefix: string,
    key: string,
    x: Record<string, string> | null,
    y: Record<string, string> | null,
  ) => {
    for (const f of new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])) {
      const before = x?.[f] ?? NONE;
      const after = y?.[f] ?? NONE;
      const kind: Kind =
        !x || !(f in x) ? 'added' : !y || !(f in y) ? 'removed' : before === after ? 'same' : 'changed';
      // A referral that appears or disappears is shown by what it has, not by its empty fields.
      const blank = (v: string) => v === NONE || v === '无';
      if ((kind === 'added' && blank(after)) || (kind === 'removed' && blank(before))) continue;
      lines.push({ key: `${key}.${f}`, what: `${prefix}${f}`, kind, before, after });
    }
  };
  fields('', 'case', a.status === 'unknown' ? null : caseFields(a), caseFields(b));
  if (a.status === 'unknown' && b.status === 'unknown') lines[0]!.kind = 'same';
  const ids = [...new Set([...a.referrals, ...b.referrals].map((r) => r.referralId))];
  for (const id of ids) {
    const x = a.referrals.find((r) => r.referralId === id) ?? null;
    const y = b.referrals.find((r) => r.referralId === id) ?? null;
    fields(`转办（${referralName((y ?? x)!)}）：`, id, x && referralFields(x), y && referralFields(y));
  }
  return lines;
}

export default function AuditDiffPage() {
  const [params, setParams] = useSearchParams();
  const caseId = params.get('case');
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<string | null>(null);
  const [found, setFound] = useState<CaseLabel | null>(null);
  const [from, setFrom] = useState<Dayjs | null>(null);
  const [to, setTo] = useState<Dayjs | null>(() => dayjs(beijingWallTime(new Date())));
  const [lines, setLines] = useState<Line[] | null>(null);
  const [by, setBy] = useState<Diff['by']>([]);
  const [names, setNames] = useState<Names>({ users: {}, places: {}, cases: {} });
  const [moments, setMoments] = useState<[string, string] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The chosen case, named by its number; the first moment defaults to its registration.
  useEffect(() => {
    if (!caseId) return;
    let live = true;
    api<{ items: CaseLabel[] }>('GET', `/oversight/case-labels?ids=${caseId}`)
      .then((d) => {
        if (!live) return;
        const c = d.items[0] ?? null;
        setFound(c);
        if (c) {
          setSearch(c.caseNumber ?? '');
          setFrom((f) => f ?? dayjs(beijingWallTime(new Date(c.openedAt))));
        } else setSearchError('账本中暂无该案件');
      })
      .catch((e) => live && setSearchError(e instanceof ApiError ? e.message : '查询失败'));
    return () => {
      live = false;
    };
  }, [caseId]);

  const choose = async () => {
    const v = search.trim();
    setSearchError(null);
    if (!CASE_NUMBER.test(v)) return setSearchError('请输入案件编号，如 150802-2026-000123');
    try {
      const d = await api<{ items: CaseLabel[] }>(
        'GET',
        `/oversight/case-labels?numbers=${encodeURIComponent(v)}`,
      );
      if (!d.items.length) return setSearchError(`没有编号为 ${v} 的案件`);
      setLines(null);
      setFrom(null);
      setParams({ case: d.items[0]!.caseId });
    } catch (e) {
      setSearchError(e instanceof ApiError ? e.message : '查询失败');
    }
  };

  const run = async () => {
    if (!caseId || !from || !to) return;
    const a = from.format('YYYY-MM-DD HH:mm:ss');
    const b = to.format('YYYY-MM-DD HH:mm:ss');
    if (!from.isBefore(to)) return setError('时刻一应早于时刻二');
    setBusy(true);
    setError(null);
    try {
      const at = (t: string) =>
        api<{ state: CaseState }>('GET', `/cases/${caseId}/state?${new URLSearchParams({ at: t })}`);
      const [before, after, diff] = await Promise.all([
        at(a),
        at(b),
        api<Diff>('GET', `/cases/${caseId}/diff?${new URLSearchParams({ from: a, to: b })}`),
      ]);
      setNames(
        await lookupNames(
          diff.by.map((e) => e.actor.id),
          diff.by.map((e) => e.actor.jurisdiction),
        ).catch(() => ({ users: {}, places: {}, cases: {} })),
      );
      setLines(compare(before.state, after.state));
      setBy(diff.by);
      setMoments([a, b]);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '比对失败');
    } finally {
      setBusy(false);
    }
  };

  const changed = lines?.filter((l) => l.kind !== 'same').length ?? 0;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            差异比对
          </Typography.Title>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph style={{ margin: 0 }}>
            按账本重现案件在两个时刻的状态，逐项比对新增、变更和移除的内容，并列出其间由谁做了什么。
          </Typography.Paragraph>
          <Space.Compact style={{ maxWidth: 480, width: '100%' }}>
            <Input
              aria-label="案件编号"
              placeholder="输入案件编号，如 150802-2026-000123"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onPressEnter={() => void choose()}
            />
            <Button onClick={() => void choose()}>选择案件</Button>
          </Space.Compact>
          {searchError && <Alert type="error" showIcon message={searchError} />}
          {caseId && found && (
            <Space wrap>
              <label htmlFor="diff-from">时刻一（北京时间）</label>
              <DatePicker
                id="diff-from"
                showTime
                format="YYYY-MM-DD HH:mm:ss"
                value={from}
                onChange={setFrom}
                allowClear={false}
              />
              <label htmlFor="diff-to">时刻二（北京时间）</label>
              <DatePicker
                id="diff-to"
                showTime
                format="YYYY-MM-DD HH:mm:ss"
                value={to}
                onChange={setTo}
                allowClear={false}
              />
              <Button type="primary" loading={busy} onClick={() => void run()}>
                比对
              </Button>
            </Space>
          )}
          {error && <Alert type="error" showIcon message={error} />}
        </Space>
      </Card>
      {lines && moments && (
        <Card
          title={
            <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
              案件 {found?.caseNumber} 在 {moments[0]} 与 {moments[1]} 的对比
            </Typography.Title>
          }
        >
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Alert
              data-testid="diff-summary"
              type={changed ? 'warning' : 'info'}
              showIcon
              message={changed ? `共 ${changed} 项变化（已突出显示）` : '两个时刻之间没有变化'}
            />
            <Table<Line>
              data-testid="diff-table"
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={lines}
              onRow={(l) => ({ style: { background: KINDS[l.kind].row }, 'data-kind': l.kind }) as never}
              columns={[
                { title: '项目', dataIndex: 'what' },
                {
                  title: '变化',
                  dataIndex: 'kind',
                  render: (k: Kind) =>
                    KINDS[k].tag ? <Tag style={KINDS[k].tag}>{KINDS[k].text}</Tag> : KINDS[k].text,
                },
                { title: `时刻一（${moments[0]}）`, dataIndex: 'before' },
                {
                  title: `时刻二（${moments[1]}）`,
                  dataIndex: 'after',
                  render: (v: string, l) => (l.kind === 'same' ? v : <strong>{v}</strong>),
                },
              ]}
            />
            <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
              其间的办理操作
            </Typography.Title>
            <Table
              rowKey="position"
              size="small"
              pagination={false}
              dataSource={by}
              locale={{ emptyText: <span style={{ color: '#595959' }}>{'其间没有办理操作'}</span> }}
              columns={[
                {
                  title: '时间（北京时间）',
                  dataIndex: 'occurredAt',
                  render: (t: string) => (
                    <span style={{ whiteSpace: 'nowrap' }}>{beijingTimeSeconds(t)}</span>
                  ),
                },
                { title: '操作', dataIndex: 'type', render: (t: string) => eventName(t) },
                {
                  title: '经办',
                  dataIndex: 'actor',
                  render: (a: RecordedActor) => actorName(a, names),
                },
              ]}
            />
          </Space>
        </Card>
      )}
    </Space>
  );
}
