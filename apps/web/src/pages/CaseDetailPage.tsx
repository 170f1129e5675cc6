import { Alert, App, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { beijingTime, CHANNEL_NAMES, label, REFERRAL_STATUS_NAMES, RELATIONSHIP_NAMES } from '../labels';

interface Referral {
  referralId: string;
  department: string;
  departmentName?: string;
  status: string;
  statusName?: string;
  outcome: string | null;
  amount: number | null;
  reason: string | null;
  updatedAt: string;
}

interface CaseDetail {
  caseId: string;
  caseNumber: string;
  status: string;
  statusName: string;
  channel: string;
  urgency: string;
  consentToShare: boolean;
  household: { name: string; idNumber: string; relationship: string; phone?: string | null }[];
  needs: {
    needId: string;
    category: string;
    categoryName: string;
    description: string;
    requestedAmount?: number;
    referral: Referral | null;
    reportedToGovernment: unknown;
  }[];
  notices: { kind: string; documentNumber: string; at: string }[];
  queryCode: string | null;
  openedAt: string;
  acceptedAt: string | null;
}

const NOTICE_NAMES: Record<string, string> = {
  one_time_notification: '一次性告知书',
  acceptance_notice: '受理通知书',
};

export default function CaseDetailPage() {
  const { id } = useParams();
  const { message } = App.useApp();
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api<CaseDetail>('GET', `/cases/${id}`)
      .then((d) => (setCase(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'));
  }, [id]);
  useEffect(load, [load]);

  const accept = async () => {
    setBusy(true);
    try {
      await api('POST', `/cases/${id}/accept`, {});
      message.success('已受理，各项需求已转办');
      load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '受理失败');
    } finally {
      setBusy(false);
    }
  };

  if (error && !c) return <Alert type="error" showIcon message={error} />;
  if (!c) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/workbench/cases">返回待办案件</Link>
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            案件 {c.caseNumber}
          </Typography.Title>
        }
        extra={
          c.status === 'opened' ? (
            <Button type="primary" loading={busy} onClick={accept}>
              受理
            </Button>
          ) : null
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Descriptions column={{ xs: 1, md: 3 }} bordered size="small">
          <Descriptions.Item label="状态">
            <Tag color={c.status === 'opened' ? 'orange' : 'blue'} data-testid="case-status">
              {c.statusName}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label="来源">{label(CHANNEL_NAMES, c.channel)}</Descriptions.Item>
          <Descriptions.Item label="紧急程度">{c.urgency === 'urgent' ? '紧急' : '一般'}</Descriptions.Item>
          <Descriptions.Item label="登记时间">{beijingTime(c.openedAt)}</Descriptions.Item>
          <Descriptions.Item label="受理时间">{beijingTime(c.acceptedAt)}</Descriptions.Item>
          <Descriptions.Item label="进度查询码">
            <span data-testid="query-code">{c.queryCode ?? '受理后生成'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="同意共享信息">{c.consentToShare ? '是' : '否'}</Descriptions.Item>
          <Descriptions.Item label="已出具文书" span={2}>
            {c.notices.map((n) => `${NOTICE_NAMES[n.kind] ?? n.kind}（${n.documentNumber}）`).join('；') ||
              '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="求助事项">
        <Table
          rowKey="needId"
          pagination={false}
          dataSource={c.needs}
          columns={[
            { title: '类别', dataIndex: 'categoryName' },
            { title: '情况说明', dataIndex: 'description' },
            {
              title: '申请金额（元）',
              dataIndex: 'requestedAmount',
              render: (a?: number) => (a != null ? a.toLocaleString('zh-CN') : '—'),
            },
            {
              title: '承办部门',
              render: (_: unknown, n) =>
                n.referral
                  ? (n.referral.departmentName ?? n.referral.department)
                  : n.reportedToGovernment
                    ? '同级政府'
                    : '—',
            },
            {
              title: '办理状态',
              render: (_: unknown, n) =>
                n.referral
                  ? (n.referral.statusName ?? label(REFERRAL_STATUS_NAMES, n.referral.status))
                  : n.reportedToGovernment
                    ? '已上报政府'
                    : c.status === 'opened'
                      ? '待受理'
                      : '—',
            },
            { title: '更新时间', render: (_: unknown, n) => beijingTime(n.referral?.updatedAt) },
          ]}
        />
      </Card>
      <Card title="家庭成员">
        <Table
          rowKey="idNumber"
          pagination={false}
          dataSource={c.household}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '关系', dataIndex: 'relationship', render: (r: string) => label(RELATIONSHIP_NAMES, r) },
            { title: '身份证号码', dataIndex: 'idNumber' },
            { title: '联系电话', dataIndex: 'phone', render: (p?: string | null) => p ?? '—' },
          ]}
        />
      </Card>
    </Space>
  );
}
