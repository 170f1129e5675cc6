import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { beijingTime } from '../labels';

interface ReportedNeed {
  categoryName: string;
  departmentName: string | null;
  status: string;
  statusName: string;
  outcome: string | null;
  updatedAt: string | null;
}

interface ReportedCase {
  caseId: string;
  caseNumber: string;
  statusName: string;
  acceptedAt: string | null;
  villageName: string;
  urgency: string;
  urgencyName: string;
  openedAt: string;
  needs: ReportedNeed[];
}

const PAGE_SIZE = 20;

const colourOf = (status: string) =>
  status === 'completed' || status === 'government_responded'
    ? 'green'
    : status === 'declined' || status === 'returned'
      ? 'orange'
      : status === 'pending'
        ? 'default'
        : 'blue';

/** 我上报的: the households this committee reported, and which department handles each need, how far. */
export default function VillageReportedPage() {
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ReportedCase> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    api<Page<ReportedCase>>('GET', `/cases/reported?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败，请稍后重试'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [page]);

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          我上报的困难家庭
        </Typography.Title>
      }
      extra={
        <Button type="primary" onClick={() => navigate('/workbench/village/report')}>
          上报困难家庭
        </Button>
      }
    >
      <Typography.Paragraph style={{ color: '#444' }}>
        本页只显示办理进度，不显示家庭成员的个人信息。时间均为北京时间。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Table<ReportedCase>
        rowKey="caseId"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: <span style={{ color: '#555' }}>还没有上报的困难家庭</span> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 户`,
          onChange: setPage,
        }}
        columns={[
          {
            title: '案件编号',
            dataIndex: 'caseNumber',
            render: (n: string) => <span style={{ whiteSpace: 'nowrap' }}>{n}</span>,
          },
          {
            title: '上报时间',
            dataIndex: 'openedAt',
            render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{beijingTime(at)}</span>,
          },
          {
            title: '紧急程度',
            dataIndex: 'urgencyName',
            render: (n: string, r) => (r.urgency === 'urgent' ? <Tag color="red">{n}</Tag> : n),
          },
          {
            title: '案件状态',
            render: (_: unknown, r) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                {r.statusName}
                {r.acceptedAt ? `（${beijingTime(r.acceptedAt)}）` : ''}
              </span>
            ),
          },
          {
            title: '求助事项 · 办理部门 · 进度',
            render: (_: unknown, r) => (
              <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                {r.needs.map((n, i) => (
                  <li key={i} style={{ marginBottom: 4 }}>
                    {n.categoryName} · {n.departmentName ?? '待确定办理部门'} ·{' '}
                    <Tag color={colourOf(n.status)}>{n.statusName}</Tag>
                    {n.outcome && <div style={{ color: '#555' }}>办理结果：{n.outcome}</div>}
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </Card>
  );
}
