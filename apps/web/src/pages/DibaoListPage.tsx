import { Alert, App, Button, Card, DatePicker, Select, Segmented, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, download, type Page } from '../api';
import { beijingTime, beijingToday } from '../labels';
import { useSession } from '../session';

interface ApplicationRow {
  applicationId: string;
  caseNumber: string;
  programName: string;
  status: string;
  statusName: string;
  paused: boolean;
  villageName: string;
  townshipName: string;
  areaName: string;
  applicantName: string | null;
  householdSize: number | null;
  staffRelative: boolean;
  overdue: string[];
  overdueNames: string[];
  nextDueAt: string | null;
  notice: { name: string; endsAt: string } | null;
  monthlyAmount: number | null;
  receivedAt: string;
}

/** The statuses an officer filters by, in the order of the procedure. */
export const DIBAO_STATUS_OPTIONS = [
  { value: 'received', label: '已受理，待入户调查' },
  { value: 'investigating', label: '入户调查中' },
  { value: 'township_review', label: '乡镇（街道）审核中' },
  { value: 'first_notice', label: '第一次公示中' },
  { value: 'county_review', label: '旗县区民政部门审批中' },
  { value: 'second_notice', label: '第二次公示中' },
  { value: 'granted', label: '已批准保障' },
  { value: 'rejected', label: '不予保障' },
  { value: 'suspended', label: '已停保' },
  { value: 'withdrawn', label: '已撤回' },
];

// Darker than antd's presets so the text keeps a 4.5:1 contrast (axe color-contrast).
export const DIBAO_STATUS_STYLES: Record<string, { color: string; background: string; borderColor: string }> =
  {
    granted: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
    rejected: { color: '#434343', background: '#fafafa', borderColor: '#d9d9d9' },
    suspended: { color: '#434343', background: '#fafafa', borderColor: '#d9d9d9' },
    withdrawn: { color: '#434343', background: '#fafafa', borderColor: '#d9d9d9' },
    first_notice: { color: '#0b3d91', background: '#e6f4ff', borderColor: '#91caff' },
    second_notice: { color: '#0b3d91', background: '#e6f4ff', borderColor: '#91caff' },
  };
const PENDING_STYLE = { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' };
export const OVERDUE_STYLE = { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' };
export const statusStyle = (status: string) => DIBAO_STATUS_STYLES[status] ?? PENDING_STYLE;

// antd's secondary grey is below 4.5:1 on white (axe color-contrast).
const MUTED = { color: '#595959' };
const PAGE_SIZE = 20;
const nowrap = (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{t}</span>;
const errorText = (e: unknown, fallback: string) => (e instanceof ApiError ? e.message : fallback);

export default function DibaoListPage() {
  const { session } = useSession();
  const county = session?.user.role === 'county_civil_affairs';
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [data, setData] = useState<Page<ApplicationRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // Filters and page live in the address: back from an application returns to the same page.
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    if (overdue) q.set('overdue', overdue);
    api<Page<ApplicationRow>>('GET', `/civil-affairs/dibao/applications?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(errorText(e, '加载失败')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [page, status, overdue]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            低保特困审核
          </Typography.Title>
        }
      >
        <style>{'.dibao-overdue > td { background: #fff1f0 !important; }'}</style>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap size="large">
            <Space>
              <label htmlFor="dibao-status">办理状态</label>
              <Select
                id="dibao-status"
                style={{ width: 220 }}
                value={status}
                onChange={(v: string) => setFilter('status', v)}
                options={[{ value: '', label: '全部状态' }, ...DIBAO_STATUS_OPTIONS]}
              />
            </Space>
            <Segmented
              aria-label="按是否逾期筛选"
              value={overdue}
              onChange={(v) => setFilter('overdue', String(v))}
              options={[
                { label: '全部', value: '' },
                { label: '已逾期', value: 'true' },
                { label: '未逾期', value: 'false' },
              ]}
            />
          </Space>
          {error && <Alert type="error" showIcon message={error} />}
          <Table<ApplicationRow>
            rowKey="applicationId"
            loading={loading}
            dataSource={data?.items ?? []}
            rowClassName={(r) => (r.overdue.length > 0 ? 'dibao-overdue' : '')}
            scroll={{ x: 1100 }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (t) => `共 ${t} 件`,
              onChange: (p) => setFilter('page', p === 1 ? '' : String(p)),
            }}
            columns={[
              {
                title: '申请人',
                dataIndex: 'applicantName',
                render: (n: string | null, r) => (
                  <Link to={`/workbench/civil-affairs/dibao/${r.applicationId}`}>{n ?? '（未登记）'}</Link>
                ),
              },
              { title: '类别', dataIndex: 'programName', render: nowrap },
              {
                title: '所在村（社区）',
                render: (_: unknown, r) => `${r.townshipName}${r.villageName}`,
              },
              {
                title: '家庭人数',
                dataIndex: 'householdSize',
                render: (n: number | null) => (n != null ? `${n} 人` : '—'),
              },
              {
                title: '办理状态',
                dataIndex: 'statusName',
                render: (s: string, r) => <Tag style={statusStyle(r.status)}>{s}</Tag>,
              },
              {
                title: '办理期限',
                render: (_: unknown, r) =>
                  r.overdue.length > 0 ? (
                    <Tag style={OVERDUE_STYLE}>{r.overdueNames.join('、')}逾期</Tag>
                  ) : r.notice ? (
                    nowrap(`${r.notice.name}至 ${beijingTime(r.notice.endsAt)}`)
                  ) : (
                    nowrap(r.nextDueAt ? `${beijingTime(r.nextDueAt)} 前` : '—')
                  ),
              },
              {
                title: '月保障金',
                dataIndex: 'monthlyAmount',
                render: (n: number | null) => (n != null ? `${n.toLocaleString('zh-CN')} 元` : '—'),
              },
              { title: '受理时间', dataIndex: 'receivedAt', render: (t: string) => nowrap(beijingTime(t)) },
              { title: '案件编号', dataIndex: 'caseNumber', render: nowrap },
            ]}
          />
        </Space>
      </Card>
      {county && <RosterCard countyName={session?.user.jurisdictionName ?? ''} />}
    </Space>
  );
}

/** 发放花名册: the county's households to pay for a month, as CSV with names and ID numbers (recorded). */
function RosterCard({ countyName }: { countyName: string }) {
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs | null>(() => dayjs(beijingToday()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchRoster = async () => {
    if (!month) return;
    const m = month.format('YYYY-MM');
    setBusy(true);
    setError(null);
    try {
      await download(
        `/civil-affairs/dibao/rosters/${m}?purpose=${encodeURIComponent('按月发放保障金')}`,
        `${countyName}低保特困发放花名册-${m}.csv`,
      );
      message.success(`已下载 ${month.format('YYYY年M月')}发放花名册`);
    } catch (e) {
      setError(errorText(e, '下载失败'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          发放花名册
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text style={MUTED}>
          本旗县区该月应发放的保障对象（含姓名、身份证号码，用于发放；下载会记入查看记录）。
        </Typography.Text>
        <Space wrap>
          <label htmlFor="roster-month">发放月份</label>
          <DatePicker
            id="roster-month"
            picker="month"
            format="YYYY-MM"
            allowClear={false}
            value={month}
            onChange={setMonth}
          />
          <Button type="primary" loading={busy} onClick={() => void fetchRoster()}>
            下载发放花名册
          </Button>
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
      </Space>
    </Card>
  );
}
