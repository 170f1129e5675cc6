import { Alert, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import {
  beijingTime,
  CASE_STATUS_NAMES,
  CATEGORY_NAMES,
  DEPARTMENT_NAMES,
  label,
  REFERRAL_STATUS_NAMES,
} from '../labels';

interface CaseRow {
  caseId: string;
  caseNumber: string;
  status: string;
  urgency: string;
  villageName?: string;
  applicantName: string;
  categories: string[];
  referrals: { department: string; status: string; departmentName?: string; statusName?: string }[];
  reportedToGovernment: boolean;
  openedAt: string;
}

const PAGE_SIZE = 20;

export default function CaseQueuePage() {
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<CaseRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    api<Page<CaseRow>>('GET', `/cases?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [page, status]);

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          待办案件
        </Typography.Title>
      }
      extra={
        <Button type="primary" onClick={() => navigate('/workbench/cases/new')}>
          登记求助
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Segmented
          aria-label="按状态筛选"
          value={status}
          onChange={(v) => {
            setStatus(String(v));
            setPage(1);
          }}
          options={[
            { label: '全部', value: '' },
            { label: '待受理', value: 'opened' },
            { label: '已受理', value: 'accepted' },
          ]}
        />
        {error && <Alert type="error" showIcon message={error} />}
        <Table<CaseRow>
          rowKey="caseId"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 件`,
            onChange: setPage,
          }}
          columns={[
            {
              title: '案件编号',
              dataIndex: 'caseNumber',
              render: (n: string, r) => <Link to={`/workbench/cases/${r.caseId}`}>{n}</Link>,
            },
            {
              title: '紧急程度',
              dataIndex: 'urgency',
              render: (u: string) => (u === 'urgent' ? <Tag color="red">紧急</Tag> : <Tag>一般</Tag>),
            },
            { title: '申请人', dataIndex: 'applicantName' },
            { title: '所在村（社区）', dataIndex: 'villageName', render: (v?: string) => v ?? '—' },
            {
              title: '求助事项',
              dataIndex: 'categories',
              render: (cs: string[]) => cs.map((c) => <Tag key={c}>{label(CATEGORY_NAMES, c)}</Tag>),
            },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={s === 'opened' ? 'orange' : 'blue'}>{label(CASE_STATUS_NAMES, s)}</Tag>
              ),
            },
            {
              title: '各部门办理',
              dataIndex: 'referrals',
              render: (rs: CaseRow['referrals']) =>
                rs.length === 0
                  ? '—'
                  : rs.map((r, i) => (
                      <div key={i}>
                        {r.departmentName ?? label(DEPARTMENT_NAMES, r.department)}：
                        {r.statusName ?? label(REFERRAL_STATUS_NAMES, r.status)}
                      </div>
                    )),
            },
            { title: '登记时间', dataIndex: 'openedAt', render: (t: string) => beijingTime(t) },
          ]}
        />
      </Space>
    </Card>
  );
}
