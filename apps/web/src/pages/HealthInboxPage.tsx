import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Segmented,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Page } from '../api';
import { beijingTime, CATEGORY_NAMES, label, RELATIONSHIP_NAMES } from '../labels';

interface ReferralRow {
  referralId: string;
  caseNumber: string;
  category: string;
  status: string;
  statusName: string;
  urgency: string;
  description: string;
  requestedAmount: number | null;
  applicant: { name: string; idNumber: string; phone: string | null };
  receivedAt: string;
  acknowledgeBy: string | null;
  decideBy: string | null;
  overdue: string[];
}

interface ReferralDetail extends ReferralRow {
  villageName?: string;
  members: { name: string; idNumber: string; relationship: string; phone?: string | null }[];
  windowOfficer: { name: string; phone: string | null } | null;
  history: { at: string; step: string; officer: string | null; detail: string | null }[];
}

const PAGE_SIZE = 20;
const DEPARTMENT = 'health';

export default function HealthInboxPage() {
  const { message } = App.useApp();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ReferralRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [busy, setBusy] = useState(false);

  const loadList = useCallback(() => {
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    api<Page<ReferralRow>>('GET', `/${DEPARTMENT}/referrals?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'))
      .finally(() => setLoading(false));
  }, [page, status]);
  useEffect(loadList, [loadList]);

  const loadDetail = useCallback((id: string) => {
    setDetail(null);
    api<ReferralDetail>('GET', `/${DEPARTMENT}/referrals/${id}`)
      .then(setDetail)
      .catch((e) => setError(e instanceof ApiError ? e.message : '加载失败'));
  }, []);

  const act = async (action: 'acknowledge' | 'accept', done: string) => {
    if (!openId) return;
    setBusy(true);
    try {
      const before = detail?.status;
      await api('POST', `/${DEPARTMENT}/referrals/${openId}/${action}`, {});
      message.success(done);
      // The inbox is a read model a moment behind the decision: read again until it shows the new status.
      for (let i = 0; i < 20; i++) {
        const d = await api<ReferralDetail>('GET', `/${DEPARTMENT}/referrals/${openId}`);
        if (d.status !== before || i === 19) {
          setDetail(d);
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      loadList();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          转办事项（卫生健康部门）
        </Typography.Title>
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
            { label: '待签收', value: 'received' },
            { label: '已签收', value: 'acknowledged' },
            { label: '已受理', value: 'accepted' },
            { label: '已办结', value: 'completed' },
          ]}
        />
        {error && <Alert type="error" showIcon message={error} />}
        <Table<ReferralRow>
          rowKey="referralId"
          loading={loading}
          dataSource={data?.items ?? []}
          onRow={(r) => ({
            onClick: () => (setOpenId(r.referralId), loadDetail(r.referralId)),
            style: { cursor: 'pointer' },
          })}
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
              render: (n: string, r) => (
                <Button
                  type="link"
                  style={{ padding: 0 }}
                  onClick={() => (setOpenId(r.referralId), loadDetail(r.referralId))}
                >
                  {n}
                </Button>
              ),
            },
            { title: '求助类别', dataIndex: 'category', render: (c: string) => label(CATEGORY_NAMES, c) },
            { title: '申请人', render: (_: unknown, r) => r.applicant?.name ?? '—' },
            {
              title: '紧急程度',
              dataIndex: 'urgency',
              render: (u: string) => (u === 'urgent' ? <Tag color="red">紧急</Tag> : <Tag>一般</Tag>),
            },
            {
              title: '状态',
              render: (_: unknown, r) => (
                <Space size={4}>
                  <Tag color="blue">{r.statusName}</Tag>
                  {r.overdue.length > 0 && <Tag color="red">已逾期</Tag>}
                </Space>
              ),
            },
            { title: '收到时间', dataIndex: 'receivedAt', render: (t: string) => beijingTime(t) },
            { title: '签收期限', dataIndex: 'acknowledgeBy', render: (t: string | null) => beijingTime(t) },
          ]}
        />
      </Space>
      <Drawer
        open={openId !== null}
        width={560}
        title={detail ? `转办事项 · 案件 ${detail.caseNumber}` : '转办事项'}
        onClose={() => setOpenId(null)}
        extra={
          detail && (
            <Space>
              {detail.status === 'received' && (
                <Button type="primary" loading={busy} onClick={() => act('acknowledge', '已签收')}>
                  签收
                </Button>
              )}
              {detail.status === 'acknowledged' && (
                <Button type="primary" loading={busy} onClick={() => act('accept', '已受理')}>
                  受理
                </Button>
              )}
            </Space>
          )
        }
      >
        {!detail ? (
          <Card loading bordered={false} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="referral-status">{detail.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="求助类别">{label(CATEGORY_NAMES, detail.category)}</Descriptions.Item>
              <Descriptions.Item label="困难情况">{detail.description}</Descriptions.Item>
              <Descriptions.Item label="申请金额（元）">
                {detail.requestedAmount != null ? detail.requestedAmount.toLocaleString('zh-CN') : '—'}
              </Descriptions.Item>
              <Descriptions.Item label="所在村（社区）">{detail.villageName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="申请人">
                {detail.applicant.name}（{detail.applicant.idNumber}）{detail.applicant.phone ?? ''}
              </Descriptions.Item>
              <Descriptions.Item label="受理窗口">
                {detail.windowOfficer
                  ? `${detail.windowOfficer.name} ${detail.windowOfficer.phone ?? ''}`
                  : '—'}
              </Descriptions.Item>
              <Descriptions.Item label="签收期限">{beijingTime(detail.acknowledgeBy)}</Descriptions.Item>
              <Descriptions.Item label="决定期限">{beijingTime(detail.decideBy)}</Descriptions.Item>
            </Descriptions>
            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                所涉家庭成员
              </Typography.Title>
              {detail.members.map((m) => (
                <div key={m.idNumber}>
                  {m.name}（{label(RELATIONSHIP_NAMES, m.relationship)}）{m.idNumber}
                </div>
              ))}
            </div>
            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                办理记录
              </Typography.Title>
              <Timeline
                items={detail.history.map((h) => ({
                  children: `${h.at} ${h.step}${h.officer ? `（${h.officer}）` : ''}${h.detail ? `：${h.detail}` : ''}`,
                }))}
              />
            </div>
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
