import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api';
import { useSession } from '../session';

interface ApplicationRow {
  applicationId: string;
  applicantName: string;
  applicantIdNumber: string;
  memberCount: number;
  hardshipKindName: string;
  areaName: string;
  urgency: string;
  urgencyName: string;
  villageName: string;
  requestedAmount: number;
  grantedAmount: number | null;
  status: string;
  statusName: string;
  decidedByName: string | null;
  paidOn: string | null;
  recordedAt: string;
}

interface Officer {
  name: string;
  roleName: string;
}

interface ObligationView {
  obligationNo: number;
  material: string;
  status: string;
  statusName: string;
  dueAt: string;
  provisionalYears?: number | null;
  fulfilled: { by: Officer; at: string; late: boolean } | null;
  waived: { by: Officer; at: string; reason: string } | null;
  overdueAt: string | null;
}

interface ApplicationView {
  applicationId: string;
  status: string;
  statusName: string;
  referral: { caseId: string; caseNumber: string } | null;
  members: { name: string; idNumber: string; roleName: string }[];
  hardship: { kindName: string; description: string };
  requestedAmount: number;
  urgency: string;
  urgencyName: string;
  areaName: string;
  villageName: string;
  townshipName: string;
  countyName: string;
  recordedBy: Officer;
  recordedAt: string;
  decision: {
    levelName: string;
    outcomeName: string;
    amount: number | null;
    opinion: string | null;
    reasons: string | null;
    by: Officer;
    at: string;
  } | null;
  payment: { amount: number; paidOn: string; methodName: string; by: Officer } | null;
  greenChannel: {
    requiredMaterials: string[];
    missingMaterials: string[];
    obligationWorkingDays: number;
  } | null;
  obligations: ObligationView[];
}

interface ObligationRow {
  applicationId: string;
  obligationNo: number;
  material: string;
  status: string;
  statusName: string;
  dueAt: string;
  provisional: boolean;
  applicantName: string;
  villageName: string;
  decidedByName: string;
  decidedAt: string;
  fulfilledAt: string | null;
  fulfilledByName: string | null;
  fulfilledLate: boolean | null;
  waivedAt: string | null;
  waivedByName: string | null;
  waivedReason: string | null;
}

const PAGE_SIZE = 20;
const yuan = (n: number | null | undefined) => (n != null ? `${n.toLocaleString('zh-CN')} 元` : '—');
const officer = (o: Officer) => `${o.name}（${o.roleName}）`;
const errorText = (e: unknown, fallback: string) => {
  if (!(e instanceof ApiError)) return fallback;
  const fields = e.fields?.map((f) => f.problems.join('；')).join('；');
  return fields ? `${e.message}（${fields}）` : e.message;
};
// Darker than antd's presets so the text keeps a 4.5:1 contrast (axe color-contrast).
const OBLIGATION_STYLES: Record<string, { color: string; background: string; borderColor: string }> = {
  open: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  overdue: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  fulfilled: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  waived: { color: '#434343', background: '#fafafa', borderColor: '#d9d9d9' },
};
const URGENT_STYLE = { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' };
const LABEL = { width: 128, whiteSpace: 'nowrap' } as const;
const pending = (s: string) => s === 'open' || s === 'overdue';

/** Marks an obligation supplied, or (county only) waives it with a reason; returns the application. */
function useObligationActions(onDone: (view: ApplicationView) => void) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [waiving, setWaiving] = useState<{ applicationId: string; no: number; material: string } | null>(
    null,
  );
  const [reason, setReason] = useState('');

  const supplied = async (applicationId: string, no: number) => {
    setBusy(`${applicationId}/${no}`);
    setError(null);
    try {
      const v = await api<ApplicationView>(
        'POST',
        `/civil-affairs/temporary-assistance/${applicationId}/obligations/${no}/supplied`,
      );
      message.success('已登记补交材料');
      onDone(v);
    } catch (e) {
      setError(errorText(e, '提交失败'));
    } finally {
      setBusy(null);
    }
  };

  const waive = async () => {
    if (!waiving) return;
    setBusy(`${waiving.applicationId}/${waiving.no}`);
    setError(null);
    try {
      const v = await api<ApplicationView>(
        'POST',
        `/civil-affairs/temporary-assistance/${waiving.applicationId}/obligations/${waiving.no}/waiver`,
        { reason: reason.trim() },
      );
      message.success('已免除该项补充材料义务');
      setWaiving(null);
      setReason('');
      onDone(v);
    } catch (e) {
      setError(errorText(e, '提交失败'));
    } finally {
      setBusy(null);
    }
  };

  const modal = (
    <Modal
      open={waiving !== null}
      title={waiving ? `豁免补充材料：${waiving.material}` : '豁免'}
      okText="确认豁免"
      cancelText="取消"
      confirmLoading={busy !== null}
      onOk={() => void waive()}
      onCancel={() => (setWaiving(null), setError(null))}
    >
      <label htmlFor="waive-reason">免除理由</label>
      <Input.TextArea
        id="waive-reason"
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
    </Modal>
  );

  return { busy, error, setError, supplied, startWaive: setWaiving, waiving: waiving !== null, modal };
}

export default function TemporaryAssistancePage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'obligations' ? 'obligations' : 'applications';
  const setTab = (key: string) => setParams(key === 'obligations' ? { tab: key } : {}, { replace: true });
  const [openId, setOpenId] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          临时救助
        </Typography.Title>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyInactiveTabPane
        items={[
          {
            key: 'applications',
            label: '临时救助申请',
            children: <ApplicationList onOpen={setOpenId} version={version} />,
          },
          {
            key: 'obligations',
            label: '补充材料义务',
            children: (
              <ObligationList
                onOpen={setOpenId}
                version={version}
                onChanged={() => setVersion((v) => v + 1)}
              />
            ),
          },
        ]}
      />
      <ApplicationDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onChanged={() => setVersion((v) => v + 1)}
      />
    </Card>
  );
}

function ApplicationList({ onOpen, version }: { onOpen: (id: string) => void; version: number }) {
  const [urgency, setUrgency] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ApplicationRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (urgency) q.set('urgency', urgency);
    api<Page<ApplicationRow>>('GET', `/civil-affairs/temporary-assistance?${q}`)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(errorText(e, '加载失败')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [page, urgency, version]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Segmented
        aria-label="按紧急程度筛选"
        value={urgency}
        onChange={(v) => (setUrgency(String(v)), setPage(1))}
        options={[
          { label: '全部', value: '' },
          { label: '紧急（救急难）', value: 'urgent' },
          { label: '一般', value: 'normal' },
        ]}
      />
      {error && <Alert type="error" showIcon message={error} />}
      <Table<ApplicationRow>
        rowKey="applicationId"
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
            title: '申请人',
            dataIndex: 'applicantName',
            render: (n: string, r) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(r.applicationId)}>
                {n}
              </Button>
            ),
          },
          { title: '家庭人数', dataIndex: 'memberCount' },
          { title: '困难类型', dataIndex: 'hardshipKindName' },
          { title: '所在村（社区）', dataIndex: 'villageName' },
          {
            title: '紧急程度',
            dataIndex: 'urgencyName',
            render: (u: string, r) => (r.urgency === 'urgent' ? <Tag style={URGENT_STYLE}>{u}</Tag> : u),
          },
          { title: '申请金额', dataIndex: 'requestedAmount', render: yuan },
          { title: '批准金额', dataIndex: 'grantedAmount', render: yuan },
          { title: '状态', dataIndex: 'statusName' },
          {
            title: '受理时间',
            dataIndex: 'recordedAt',
            render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{t}</span>,
          },
          {
            title: '操作',
            render: (_: unknown, r) => (
              <Button size="small" onClick={() => onOpen(r.applicationId)}>
                查看
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}

function ObligationList({
  onOpen,
  version,
  onChanged,
}: {
  onOpen: (id: string) => void;
  version: number;
  onChanged: () => void;
}) {
  const { session } = useSession();
  const canWaive = session?.user.role === 'county_civil_affairs';
  const canSupply = canWaive || session?.user.role === 'township_officer';
  const [status, setStatus] = useState('open');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ObligationRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const actions = useObligationActions(onChanged);

  const load = useCallback(() => {
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (status) q.set('status', status);
    api<Page<ObligationRow>>('GET', `/civil-affairs/temporary-assistance/obligations?${q}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(errorText(e, '加载失败')))
      .finally(() => setLoading(false));
  }, [page, status]);
  useEffect(load, [load, version]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Segmented
        aria-label="按状态筛选"
        value={status}
        onChange={(v) => (setStatus(String(v)), setPage(1))}
        options={[
          { label: '待补充', value: 'open' },
          { label: '逾期未补充', value: 'overdue' },
          { label: '已补充', value: 'fulfilled' },
          { label: '已免除', value: 'waived' },
          { label: '全部', value: '' },
        ]}
      />
      {error && <Alert type="error" showIcon message={error} />}
      {actions.error && !actions.waiving && (
        <Alert
          type="error"
          showIcon
          closable
          message={actions.error}
          onClose={() => actions.setError(null)}
        />
      )}
      <Table<ObligationRow>
        rowKey={(r) => `${r.applicationId}/${r.obligationNo}`}
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 项`,
          onChange: setPage,
        }}
        columns={[
          {
            title: '申请人',
            dataIndex: 'applicantName',
            render: (n: string, r) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(r.applicationId)}>
                {n}
              </Button>
            ),
          },
          { title: '所在村（社区）', dataIndex: 'villageName' },
          { title: '待补材料', dataIndex: 'material' },
          { title: '先行救助', render: (_: unknown, r) => `${r.decidedByName}（${r.decidedAt}）` },
          {
            title: '补交期限',
            dataIndex: 'dueAt',
            render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{t}</span>,
          },
          {
            title: '状态',
            dataIndex: 'statusName',
            render: (s: string, r) => <Tag style={OBLIGATION_STYLES[r.status]}>{s}</Tag>,
          },
          {
            title: '办理情况',
            render: (_: unknown, r) =>
              r.fulfilledAt
                ? `${r.fulfilledByName ?? ''} ${r.fulfilledAt} 补交${r.fulfilledLate ? '（逾期）' : ''}`
                : r.waivedAt
                  ? `${r.waivedByName ?? ''} ${r.waivedAt} 免除：${r.waivedReason ?? ''}`
                  : '—',
          },
          {
            title: '操作',
            render: (_: unknown, r) =>
              pending(r.status) ? (
                <Space>
                  {canSupply && (
                    <Button
                      size="small"
                      type="primary"
                      loading={actions.busy === `${r.applicationId}/${r.obligationNo}`}
                      onClick={() => void actions.supplied(r.applicationId, r.obligationNo)}
                    >
                      已补交
                    </Button>
                  )}
                  {canWaive && (
                    <Button
                      size="small"
                      onClick={() =>
                        actions.startWaive({
                          applicationId: r.applicationId,
                          no: r.obligationNo,
                          material: r.material,
                        })
                      }
                    >
                      豁免
                    </Button>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
      {actions.modal}
    </Space>
  );
}

function ApplicationDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { session } = useSession();
  const canWaive = session?.user.role === 'county_civil_affairs';
  const canSupply = canWaive || session?.user.role === 'township_officer';
  const [view, setView] = useState<ApplicationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const actions = useObligationActions((v) => {
    setView(v);
    onChanged();
  });

  useEffect(() => {
    if (!id) return;
    let live = true;
    setView(null);
    setError(null);
    api<ApplicationView>('GET', `/civil-affairs/temporary-assistance/${id}`)
      .then((v) => live && setView(v))
      .catch((e) => live && setError(errorText(e, '加载失败')));
    return () => {
      live = false;
    };
  }, [id]);

  return (
    <Drawer open={id !== null} width={640} title="临时救助申请" onClose={onClose}>
      {error && <Alert type="error" showIcon message={error} />}
      {view && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={1} bordered size="small" labelStyle={LABEL}>
            <Descriptions.Item label="状态">
              <span data-testid="application-status">{view.statusName}</span>
            </Descriptions.Item>
            <Descriptions.Item label="紧急程度">{view.urgencyName}</Descriptions.Item>
            <Descriptions.Item label="案件编号">
              {view.referral?.caseNumber ?? '窗口直接受理'}
            </Descriptions.Item>
            <Descriptions.Item label="家庭成员">
              {view.members.map((m) => `${m.name}（${m.roleName}，${m.idNumber}）`).join('；')}
            </Descriptions.Item>
            <Descriptions.Item label="困难情况">
              {view.hardship.kindName}：{view.hardship.description}
            </Descriptions.Item>
            <Descriptions.Item label="所在地">
              {view.villageName}（{view.areaName}）
            </Descriptions.Item>
            <Descriptions.Item label="申请金额">{yuan(view.requestedAmount)}</Descriptions.Item>
            <Descriptions.Item label="受理">
              {officer(view.recordedBy)}，{view.recordedAt}
            </Descriptions.Item>
            {view.decision && (
              <Descriptions.Item label="审批决定">
                {view.decision.levelName}
                {view.decision.outcomeName}
                {view.decision.amount != null ? ` ${yuan(view.decision.amount)}` : ''}；
                {view.decision.opinion ?? view.decision.reasons ?? ''}（{officer(view.decision.by)}，
                {view.decision.at}）
              </Descriptions.Item>
            )}
            {view.payment && (
              <Descriptions.Item label="发放">
                {yuan(view.payment.amount)}，{view.payment.paidOn}，{view.payment.methodName}
              </Descriptions.Item>
            )}
          </Descriptions>
          {view.greenChannel && (
            <Descriptions
              column={1}
              bordered
              size="small"
              labelStyle={LABEL}
              title="救急难绿色通道（先行救助、后补材料）"
            >
              <Descriptions.Item label="所需材料">
                {view.greenChannel.requiredMaterials.join('、')}
              </Descriptions.Item>
              <Descriptions.Item label="先行救助时尚缺">
                {view.greenChannel.missingMaterials.join('、') || '无'}
              </Descriptions.Item>
              <Descriptions.Item label="补交时限">
                {view.greenChannel.obligationWorkingDays} 个工作日
              </Descriptions.Item>
            </Descriptions>
          )}
          {view.obligations.length > 0 && (
            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                补充材料义务
              </Typography.Title>
              {actions.error && !actions.waiving && (
                <Alert type="error" showIcon message={actions.error} style={{ marginBottom: 12 }} />
              )}
              <Table<ObligationView>
                size="small"
                rowKey="obligationNo"
                pagination={false}
                dataSource={view.obligations}
                columns={[
                  { title: '材料', dataIndex: 'material' },
                  {
                    title: '状态',
                    dataIndex: 'statusName',
                    render: (s: string, o) => (
                      <Tag style={OBLIGATION_STYLES[o.status]} data-testid="obligation-status">
                        {s}
                      </Tag>
                    ),
                  },
                  { title: '期限', dataIndex: 'dueAt' },
                  {
                    title: '补交 / 免除',
                    render: (_: unknown, o) =>
                      o.fulfilled
                        ? `${officer(o.fulfilled.by)} ${o.fulfilled.at} 补交${o.fulfilled.late ? '（逾期）' : ''}`
                        : o.waived
                          ? `${officer(o.waived.by)} ${o.waived.at} 免除：${o.waived.reason}`
                          : '—',
                  },
                  {
                    title: '操作',
                    render: (_: unknown, o) =>
                      pending(o.status) ? (
                        <Space>
                          {canSupply && (
                            <Button
                              size="small"
                              type="primary"
                              loading={actions.busy === `${view.applicationId}/${o.obligationNo}`}
                              onClick={() => void actions.supplied(view.applicationId, o.obligationNo)}
                            >
                              已补交
                            </Button>
                          )}
                          {canWaive && (
                            <Button
                              size="small"
                              onClick={() =>
                                actions.startWaive({
                                  applicationId: view.applicationId,
                                  no: o.obligationNo,
                                  material: o.material,
                                })
                              }
                            >
                              豁免
                            </Button>
                          )}
                        </Space>
                      ) : null,
                  },
                ]}
              />
            </div>
          )}
        </Space>
      )}
      {actions.modal}
    </Drawer>
  );
}
