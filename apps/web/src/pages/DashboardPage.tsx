import { Alert, App, Button, Card, Col, DatePicker, Row, Space, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, download } from '../api';
import { beijingDayStart, beijingToday, COUNTY_NAMES, DEPARTMENT_NAMES, label } from '../labels';
import { useSession } from '../session';
import TrendChart from './TrendChart';

interface Hours {
  median: number | null;
  p90: number | null;
}

interface DashboardRow {
  department: string;
  countyCode: string;
  issued: number;
  open: number;
  overdue: number;
  declined: number;
  completed: number;
  acknowledgeHours: Hours;
  decideHours: Hours;
  grants: number;
  grantedAmount: number;
}

interface Dashboard {
  period: { from: string; to: string };
  rows: DashboardRow[];
  casesReportedToGovernment: { countyCode: string; cases: number }[];
  governmentResponses: {
    countyCode: string;
    reported: number;
    responded: number;
    awaiting: number;
    overdue: number;
    answeredLate: number;
  }[];
  weekly: { week: string; department: string; issued: number; completed: number; overdue: number }[];
}

const hours = (h: Hours) =>
  h.median == null ? '—' : `${h.median.toFixed(1)} / ${h.p90 == null ? '—' : h.p90.toFixed(1)}`;
const yuan = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

export default function DashboardPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const user = session!.user;
  const today = beijingToday();
  const [range, setRange] = useState<[string, string]>([
    dayjs(today).subtract(89, 'day').format('YYYY-MM-DD'),
    today,
  ]);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);

  // The user's own county is named by /auth/me; the others from the static list, else the code.
  const countyName = (code: string) =>
    code === user.jurisdiction
      ? user.jurisdictionName.replace(/^巴彦淖尔市/, '') || user.jurisdictionName
      : (COUNTY_NAMES[code] ?? code);

  const query = useMemo(
    () => new URLSearchParams({ from: beijingDayStart(range[0]), to: beijingDayStart(range[1], 1) }),
    [range],
  );

  useEffect(() => {
    let live = true;
    setLoading(true);
    api<Dashboard>('GET', `/oversight/dashboard?${query}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [query]);

  const totals = useMemo(() => {
    const rows = data?.rows ?? [];
    const sum = (f: (r: DashboardRow) => number) => rows.reduce((s, r) => s + f(r), 0);
    return {
      issued: sum((r) => r.issued),
      overdue: sum((r) => r.overdue),
      completed: sum((r) => r.completed),
      amount: sum((r) => r.grantedAmount),
    };
  }, [data]);

  const trend = useMemo(() => {
    const weeks = [...new Set((data?.weekly ?? []).map((w) => w.week))].sort();
    const by = (f: (w: Dashboard['weekly'][number]) => number) =>
      weeks.map((wk) => (data?.weekly ?? []).filter((w) => w.week === wk).reduce((s, w) => s + f(w), 0));
    return {
      // Weeks start on Monday, Beijing time: `11月23日起`.
      weeks: weeks.map((w) => `${Number(w.slice(5, 7))}月${Number(w.slice(8, 10))}日起`),
      series: [
        { name: '转办', data: by((w) => w.issued) },
        { name: '办结', data: by((w) => w.completed) },
        { name: '逾期', data: by((w) => w.overdue) },
      ],
    };
  }, [data]);

  const government = useMemo(() => {
    const reported = new Map((data?.casesReportedToGovernment ?? []).map((c) => [c.countyCode, c.cases]));
    const responses = data?.governmentResponses ?? [];
    const codes = [...new Set([...reported.keys(), ...responses.map((r) => r.countyCode)])].sort();
    return codes.map((code) => {
      const r = responses.find((x) => x.countyCode === code);
      return {
        countyCode: code,
        cases: reported.get(code) ?? 0,
        reported: r?.reported ?? 0,
        responded: r?.responded ?? 0,
        awaiting: r?.awaiting ?? 0,
        overdue: r?.overdue ?? 0,
        answeredLate: r?.answeredLate ?? 0,
      };
    });
  }, [data]);

  const exportCsv = async () => {
    setExporting(true);
    try {
      await download(
        `/oversight/reports/accountability?${new URLSearchParams({ ...Object.fromEntries(query), format: 'csv' })}`,
        `责任追究报告_${range[0]}_${range[1]}.csv`,
      );
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '导出失败');
    } finally {
      setExporting(false);
    }
  };

  const scope = user.role === 'government_liaison' ? `（${user.jurisdictionName}）` : '';

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {user.role === 'joint_meeting_viewer' ? '联席会议看板' : '统计看板'}
            {scope}
          </Typography.Title>
        }
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              aria-label="统计期间（北京时间）"
              allowClear={false}
              value={[dayjs(range[0]), dayjs(range[1])] as [Dayjs, Dayjs]}
              disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              onChange={(v) => {
                if (v?.[0] && v[1]) setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')]);
              }}
            />
            <Button onClick={exportCsv} loading={exporting}>
              导出
            </Button>
          </Space>
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Row gutter={[16, 16]}>
          {[
            ['转办总数', totals.issued, '件'],
            ['逾期', totals.overdue, '件'],
            ['已办结', totals.completed, '件'],
            ['救助金额', yuan(totals.amount), '元'],
          ].map(([title, value, suffix]) => (
            <Col key={title} xs={12} md={6}>
              <Card size="small" loading={loading && !data}>
                <Statistic title={title} value={value} suffix={suffix} />
              </Card>
            </Col>
          ))}
        </Row>
      </Card>

      <Card
        title={
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            各部门、旗县区办理情况
          </Typography.Title>
        }
      >
        <Table<DashboardRow>
          rowKey={(r) => `${r.department}/${r.countyCode}`}
          loading={loading}
          dataSource={data?.rows ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          size="small"
          columns={[
            { title: '部门', dataIndex: 'department', render: (d: string) => label(DEPARTMENT_NAMES, d) },
            { title: '旗县区', dataIndex: 'countyCode', render: countyName },
            { title: '转办', dataIndex: 'issued' },
            { title: '在办', dataIndex: 'open' },
            { title: '逾期', dataIndex: 'overdue' },
            { title: '不予受理', dataIndex: 'declined' },
            { title: '已办结', dataIndex: 'completed' },
            { title: '签收用时（小时，中位数/P90）', dataIndex: 'acknowledgeHours', render: hours },
            { title: '决定用时（小时，中位数/P90）', dataIndex: 'decideHours', render: hours },
            { title: '给予救助（件）', dataIndex: 'grants' },
            { title: '救助金额（元）', dataIndex: 'grantedAmount', render: yuan },
          ]}
        />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                上报政府及政府回复
              </Typography.Title>
            }
          >
            <Table
              rowKey="countyCode"
              loading={loading}
              dataSource={government}
              pagination={false}
              size="small"
              columns={[
                { title: '旗县区', dataIndex: 'countyCode', render: countyName },
                { title: '上报案件', dataIndex: 'cases' },
                { title: '上报事项', dataIndex: 'reported' },
                { title: '政府已处理', dataIndex: 'responded' },
                { title: '待回复', dataIndex: 'awaiting' },
                { title: '逾期未回复', dataIndex: 'overdue' },
                { title: '逾期后回复', dataIndex: 'answeredLate' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                每周趋势
              </Typography.Title>
            }
          >
            <TrendChart
              weeks={trend.weeks}
              series={trend.series}
              label={`每周转办、办结、逾期件数趋势图，共 ${trend.weeks.length} 周`}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
