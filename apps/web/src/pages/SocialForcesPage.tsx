import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Page } from '../api';
import { useServerPage, useSubmit } from '../hooks';
import { chosen } from '../labels';
import { FormDialog, muted, nowrap, OpenLink, ServerTable, TAG, yuan } from '../ui';
import { useSession } from '../session';

const BASE = '/civil-affairs/social-forces';

export const PROVIDER_KIND_OPTIONS = [
  { value: 'social_organisation', label: '社会组织' },
  { value: 'social_worker', label: '社会工作者' },
  { value: 'volunteer', label: '志愿者' },
];
export const SERVICE_OPTIONS = [
  { value: 'daily_care', label: '生活照料' },
  { value: 'counselling', label: '心理疏导' },
  { value: 'resource_linking', label: '资源链接' },
  { value: 'capacity_building', label: '能力提升' },
];
const OUTCOME_OPTIONS = [
  { value: 'goal_met', label: '服务目标达成' },
  { value: 'partially_met', label: '服务目标部分达成' },
  { value: 'not_met', label: '服务目标未达成' },
  { value: 'household_withdrew', label: '家庭退出服务' },
];

interface Officer {
  name: string;
  roleName: string;
}

export interface ProviderRow {
  providerId: string;
  name: string;
  kindName: string;
  services: string[];
  serviceNames: string[];
  areaNames: string[];
  active: boolean;
  statusName: string;
  updatedAt: string;
}

interface ProviderView {
  providerId: string;
  name: string;
  kind: string;
  kindName: string;
  services: string[];
  serviceNames: string[];
  areas: { code: string; name: string }[];
  users: { id: string; name: string }[];
  contact: string | null;
  countyName: string;
  active: boolean;
  statusName: string;
  registeredBy: Officer;
  registeredAt: string;
  updatedAt: string;
}

interface ServiceRow {
  serviceId: string;
  caseNumber: string;
  householdName: string;
  serviceName: string;
  providerName: string;
  villageName: string;
  status: string;
  statusName: string;
  outcomeName: string | null;
  visitCount: number;
  assignedAt: string;
}

interface ServiceView {
  serviceId: string;
  caseNumber: string;
  householdName: string;
  serviceName: string;
  description: string;
  villageName: string;
  consent: { given: boolean; recordedOn: string; signedBy: string };
  provider: { providerId: string; name: string };
  projectId: string | null;
  cost: number | null;
  status: string;
  statusName: string;
  assignedBy: Officer;
  assignedAt: string;
  visits: { visitId: string; visitedOn: string; content: string; by: Officer; at: string }[];
  outcome: { outcomeName: string; summary: string; by: Officer; at: string } | null;
}

export interface ProjectRow {
  projectId: string;
  name: string;
  providerId: string;
  providerName: string;
  budget: number;
  charged: number;
  remaining: number;
  serviceCount: number;
  periodFrom: string;
  periodTo: string;
}

interface ProjectView extends Omit<ProjectRow, 'providerId' | 'providerName' | 'serviceCount'> {
  provider: { providerId: string; name: string };
  services: { serviceId: string; serviceName: string; amount: number; on: string }[];
  createdBy: Officer;
  createdAt: string;
}

const by = (o: Officer) => `${o.name}（${o.roleName}）`;

/**
 * 社会力量参与社会救助: the services social forces give households (visits and outcomes recorded by the
 * provider's social worker, or the county for it), the county's registry of providers, and the
 * government's purchased-service projects with their budgets. County civil affairs registers and assigns;
 * social workers record; the liaison, the joint meeting and auditors read.
 */
export default function SocialForcesPage() {
  const { session } = useSession();
  const role = session?.user.role ?? '';
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'services';
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          社会力量参与社会救助
        </Typography.Title>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k })}
        items={[
          { key: 'services', label: '服务记录', children: <ServicesTab role={role} /> },
          ...(role === 'social_worker'
            ? []
            : [
                { key: 'providers', label: '社会力量名录', children: <ProvidersTab role={role} /> },
                { key: 'projects', label: '政府购买服务项目', children: <ProjectsTab role={role} /> },
              ]),
        ]}
      />
    </Card>
  );
}

function ServicesTab({ role }: { role: string }) {
  const { message } = App.useApp();
  const [status, setStatus] = useState('');
  const list = useServerPage<ServiceRow>(`${BASE}/services`, { status });
  const [open, setOpen] = useState<ServiceView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const submit = useSubmit();
  const [visitForm] = Form.useForm<{ visitedOn: Dayjs; content: string }>();
  const [outcomeForm] = Form.useForm<{ outcome: string; summary: string }>();
  const records = role === 'social_worker' || role === 'county_civil_affairs';

  const show = async (serviceId: string) => {
    submit.setError(null);
    try {
      setOpen(await api<ServiceView>('GET', `${BASE}/services/${serviceId}`));
    } catch {
      setLoadError('加载失败');
    }
  };
  const act = async (path: string, body: unknown, done: string, reset: () => void) => {
    if (!open) return;
    const next = await submit.run(() =>
      api<ServiceView>('POST', `${BASE}/services/${open.serviceId}${path}`, body),
    );
    if (!next) return;
    setOpen(next);
    message.success(done);
    reset();
    list.reload();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {role === 'county_civil_affairs' && (
        <Typography.Text style={muted}>
          派单：在低保特困审核的申请页上点“派单社会力量”，须有家庭签署的同意书。
        </Typography.Text>
      )}
      <Segmented
        aria-label="按状态筛选服务"
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={[
          { label: '全部', value: '' },
          { label: '服务中', value: 'in_service' },
          { label: '已结案', value: 'closed' },
        ]}
      />
      {loadError && <Alert type="error" showIcon message={loadError} />}
      <ServerTable<ServiceRow>
        list={list}
        rowKey="serviceId"
        empty="暂无服务"
        columns={[
          {
            title: '案件编号',
            dataIndex: 'caseNumber',
            render: (n: string, r) => <OpenLink onOpen={() => void show(r.serviceId)}>{n}</OpenLink>,
          },
          { title: '户主', dataIndex: 'householdName' },
          { title: '服务', dataIndex: 'serviceName' },
          { title: '服务方', dataIndex: 'providerName' },
          { title: '村（社区）', dataIndex: 'villageName' },
          { title: '走访', render: (_: unknown, r) => nowrap(`${r.visitCount} 次`) },
          {
            title: '状态',
            render: (_: unknown, r) => (
              <Tag style={r.status === 'closed' ? TAG.stopped : TAG.open}>
                {r.outcomeName ? `${r.statusName}：${r.outcomeName}` : r.statusName}
              </Tag>
            ),
          },
          { title: '派单时间', dataIndex: 'assignedAt', render: nowrap },
        ]}
      />
      <Drawer
        open={open !== null}
        width={640}
        title={open ? `社会力量服务 · 案件 ${open.caseNumber}` : '社会力量服务'}
        onClose={() => setOpen(null)}
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="service-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="户主">{open.householdName}</Descriptions.Item>
              <Descriptions.Item label="村（社区）">{open.villageName}</Descriptions.Item>
              <Descriptions.Item label="服务">{open.serviceName}</Descriptions.Item>
              <Descriptions.Item label="服务需求">{open.description}</Descriptions.Item>
              <Descriptions.Item label="服务方">{open.provider.name}</Descriptions.Item>
              <Descriptions.Item label="家庭同意">
                {open.consent.given ? '已同意' : '未同意'}（{open.consent.signedBy}，{open.consent.recordedOn}{' '}
                签署）
              </Descriptions.Item>
              {open.cost !== null && (
                <Descriptions.Item label="服务费用">
                  {yuan(open.cost)}（列入政府购买服务项目）
                </Descriptions.Item>
              )}
              <Descriptions.Item label="派单">
                {by(open.assignedBy)} {open.assignedAt}
              </Descriptions.Item>
              {open.outcome && (
                <Descriptions.Item label="服务成效">
                  {open.outcome.outcomeName}：{open.outcome.summary}（{by(open.outcome.by)} {open.outcome.at}
                  ）
                </Descriptions.Item>
              )}
            </Descriptions>
            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                走访记录
              </Typography.Title>
              {open.visits.length === 0 ? (
                <Typography.Text style={muted}>尚未走访</Typography.Text>
              ) : (
                <ul style={{ paddingLeft: 20, margin: 0 }}>
                  {open.visits.map((v) => (
                    <li key={v.visitId}>
                      {v.visitedOn}：{v.content}（{by(v.by)}）
                    </li>
                  ))}
                </ul>
              )}
            </div>
            {records && open.status === 'in_service' && (
              <Form
                name="service-visit"
                form={visitForm}
                layout="vertical"
                disabled={submit.busy}
                onFinish={(v: { visitedOn: Dayjs; content: string }) =>
                  void act(
                    '/visits',
                    { visitedOn: v.visitedOn.format('YYYY-MM-DD'), content: v.content.trim() },
                    '已登记走访',
                    () => visitForm.resetFields(),
                  )
                }
              >
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  登记走访
                </Typography.Title>
                <Form.Item
                  name="visitedOn"
                  label="走访日期"
                  rules={[{ required: true, message: '请选择走访日期' }]}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item
                  name="content"
                  label="服务内容"
                  rules={[{ required: true, whitespace: true, message: '请填写服务内容' }]}
                >
                  <Input.TextArea rows={2} maxLength={5000} />
                </Form.Item>
                <Button htmlType="submit" loading={submit.busy}>
                  登记走访
                </Button>
              </Form>
            )}
            {records && open.status === 'in_service' && (
              <Form
                name="service-outcome"
                form={outcomeForm}
                layout="vertical"
                disabled={submit.busy}
                onFinish={(v: { outcome: string; summary: string }) =>
                  void act(
                    '/outcome',
                    { outcome: v.outcome, summary: v.summary.trim() },
                    '已登记服务成效，服务结案',
                    () => outcomeForm.resetFields(),
                  )
                }
              >
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  登记服务成效并结案
                </Typography.Title>
                <Form.Item name="outcome" label="服务成效" rules={[{ validator: chosen('请选择服务成效') }]}>
                  <Select options={OUTCOME_OPTIONS} />
                </Form.Item>
                <Form.Item
                  name="summary"
                  label="服务成效说明"
                  rules={[{ required: true, whitespace: true, message: '请填写服务成效说明' }]}
                >
                  <Input.TextArea rows={2} maxLength={5000} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={submit.busy}>
                  结案
                </Button>
              </Form>
            )}
            {submit.error && <Alert type="error" showIcon role="alert" message={submit.error} />}
          </Space>
        )}
      </Drawer>
    </Space>
  );
}

interface ProviderForm {
  name: string;
  kind: string;
  services: string[];
  areaCodes: string[];
  userIds?: string[];
  contact?: string;
}

/** Choices for a select: loaded once, a page of up to 100. */
function useChoices<T>(path: string | null): T[] {
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    if (!path) return;
    api<Page<T>>('GET', path)
      .then((d) => setItems(d.items))
      .catch(() => setItems([]));
  }, [path]);
  return items;
}

function ProvidersTab({ role }: { role: string }) {
  const { message } = App.useApp();
  const { session } = useSession();
  const isCounty = role === 'county_civil_affairs';
  const county = session?.user.jurisdiction ?? '';
  const [kind, setKind] = useState('');
  const list = useServerPage<ProviderRow>(`${BASE}/providers`, { kind });
  const [open, setOpen] = useState<ProviderView | null>(null);
  const [registering, setRegistering] = useState(false);
  const submit = useSubmit();
  const [form] = Form.useForm<ProviderForm>();
  const townships = useChoices<{ code: string; name: string }>(
    isCounty && county ? `/places?parentCode=${county}&pageSize=100` : null,
  );
  const workers = useChoices<{ id: string; name: string; organisation: string | null }>(
    isCounty ? `${BASE}/workers?pageSize=100` : null,
  );
  const areaOptions = [
    { value: county, label: `${session?.user.jurisdictionName ?? '本旗县区'}全域` },
    ...townships.map((t) => ({ value: t.code, label: t.name })),
  ];

  const show = async (providerId: string) => {
    submit.setError(null);
    setOpen(await api<ProviderView>('GET', `${BASE}/providers/${providerId}`));
  };
  const register = async (v: ProviderForm) => {
    const created = await submit.run(() =>
      api<ProviderView>('POST', `${BASE}/providers`, {
        name: v.name.trim(),
        kind: v.kind,
        services: v.services,
        areaCodes: v.areaCodes,
        userIds: v.userIds ?? [],
        ...(v.contact?.trim() ? { contact: v.contact.trim() } : {}),
      }),
    );
    if (!created) return;
    message.success(`已登记：${created.name}`);
    setRegistering(false);
    list.reload();
  };
  const setActive = async (active: boolean) => {
    if (!open) return;
    const next = await submit.run(() =>
      api<ProviderView>('PUT', `${BASE}/providers/${open.providerId}`, {
        name: open.name,
        kind: open.kind,
        services: open.services,
        areaCodes: open.areas.map((a) => a.code),
        userIds: open.users.map((u) => u.id),
        ...(open.contact ? { contact: open.contact } : {}),
        active,
      }),
    );
    if (!next) return;
    setOpen(next);
    message.success(active ? '已恢复派单' : '已停止派单');
    list.reload();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Segmented
          aria-label="按类别筛选社会力量"
          value={kind}
          onChange={(v) => setKind(String(v))}
          options={[{ label: '全部', value: '' }, ...PROVIDER_KIND_OPTIONS]}
        />
        {isCounty && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              submit.setError(null);
              setRegistering(true);
            }}
          >
            登记社会力量
          </Button>
        )}
      </Space>
      <ServerTable<ProviderRow>
        list={list}
        rowKey="providerId"
        scrollX={800}
        empty="暂无登记的社会力量"
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            render: (n: string, r) => <OpenLink onOpen={() => void show(r.providerId)}>{n}</OpenLink>,
          },
          { title: '类别', dataIndex: 'kindName' },
          { title: '提供的服务', render: (_: unknown, r) => r.serviceNames.join('、') },
          { title: '服务区域', render: (_: unknown, r) => r.areaNames.join('、') },
          {
            title: '状态',
            render: (_: unknown, r) => <Tag style={r.active ? TAG.done : TAG.stopped}>{r.statusName}</Tag>,
          },
        ]}
      />
      <FormDialog
        title="登记社会力量"
        open={registering}
        onClose={() => setRegistering(false)}
        form={form}
        okText="登记"
        busy={submit.busy}
        error={submit.error}
      >
        <Form<ProviderForm>
          name="provider-register"
          form={form}
          layout="vertical"
          onFinish={(v) => void register(v)}
        >
          <Form.Item
            name="name"
            label="名称（社会组织名称或个人姓名）"
            rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="kind" label="类别" rules={[{ validator: chosen('请选择类别') }]}>
            <Select options={PROVIDER_KIND_OPTIONS} />
          </Form.Item>
          <Form.Item name="services" label="提供的服务" rules={[{ validator: chosen('至少选择一项服务') }]}>
            <Checkbox.Group options={SERVICE_OPTIONS} />
          </Form.Item>
          <Form.Item
            name="areaCodes"
            label="服务区域"
            rules={[{ validator: chosen('至少选择一个服务区域') }]}
          >
            <Select mode="multiple" options={areaOptions} optionFilterProp="label" />
          </Form.Item>
          <Form.Item
            name="userIds"
            label="工作人员账号（由其登记走访和服务成效）"
            extra={<span style={muted}>本旗县区在用的社会工作者账号</span>}
          >
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={workers.map((w) => ({
                value: w.id,
                label: w.organisation ? `${w.name}（${w.organisation}）` : w.name,
              }))}
            />
          </Form.Item>
          <Form.Item name="contact" label="联系方式">
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </FormDialog>
      <Drawer open={open !== null} width={560} title={open?.name ?? '社会力量'} onClose={() => setOpen(null)}>
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="provider-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="类别">{open.kindName}</Descriptions.Item>
              <Descriptions.Item label="提供的服务">{open.serviceNames.join('、')}</Descriptions.Item>
              <Descriptions.Item label="服务区域">
                {open.areas.map((a) => a.name).join('、')}
              </Descriptions.Item>
              <Descriptions.Item label="工作人员">
                {open.users.length > 0 ? open.users.map((u) => u.name).join('、') : '未关联账号'}
              </Descriptions.Item>
              <Descriptions.Item label="联系方式">{open.contact ?? '未登记'}</Descriptions.Item>
              <Descriptions.Item label="登记">
                {by(open.registeredBy)} {open.registeredAt}
              </Descriptions.Item>
            </Descriptions>
            {isCounty && (
              <Button loading={submit.busy} onClick={() => void setActive(!open.active)}>
                {open.active ? '停止派单' : '恢复派单'}
              </Button>
            )}
            {submit.error && !registering && (
              <Alert type="error" showIcon role="alert" message={submit.error} />
            )}
          </Space>
        )}
      </Drawer>
    </Space>
  );
}

interface ProjectForm {
  name: string;
  providerId: string;
  budget: number;
  periodFrom: Dayjs;
  periodTo: Dayjs;
}

function ProjectsTab({ role }: { role: string }) {
  const { message } = App.useApp();
  const isCounty = role === 'county_civil_affairs';
  const list = useServerPage<ProjectRow>(`${BASE}/projects`, {});
  const [open, setOpen] = useState<ProjectView | null>(null);
  const [creating, setCreating] = useState(false);
  const submit = useSubmit();
  const [form] = Form.useForm<ProjectForm>();
  const providers = useChoices<ProviderRow>(isCounty ? `${BASE}/providers?pageSize=100` : null);

  const create = async (v: ProjectForm) => {
    const created = await submit.run(() =>
      api<ProjectView>('POST', `${BASE}/projects`, {
        name: v.name.trim(),
        providerId: v.providerId,
        budget: v.budget,
        periodFrom: v.periodFrom.format('YYYY-MM-DD'),
        periodTo: v.periodTo.format('YYYY-MM-DD'),
      }),
    );
    if (!created) return;
    message.success(`已立项：${created.name}`);
    setCreating(false);
    list.reload();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {isCounty && (
        <Button
          type="primary"
          onClick={() => {
            form.resetFields();
            submit.setError(null);
            setCreating(true);
          }}
        >
          购买服务立项
        </Button>
      )}
      <ServerTable<ProjectRow>
        list={list}
        rowKey="projectId"
        empty="暂无政府购买服务项目"
        columns={[
          {
            title: '项目名称',
            dataIndex: 'name',
            render: (n: string, r) => (
              <OpenLink
                onOpen={() => void api<ProjectView>('GET', `${BASE}/projects/${r.projectId}`).then(setOpen)}
              >
                {n}
              </OpenLink>
            ),
          },
          { title: '承接方', dataIndex: 'providerName' },
          { title: '预算', render: (_: unknown, r) => nowrap(yuan(r.budget)) },
          { title: '已用', render: (_: unknown, r) => nowrap(yuan(r.charged)) },
          { title: '剩余', render: (_: unknown, r) => nowrap(yuan(r.remaining)) },
          { title: '服务期', render: (_: unknown, r) => nowrap(`${r.periodFrom} 至 ${r.periodTo}`) },
          { title: '服务', render: (_: unknown, r) => nowrap(`${r.serviceCount} 项`) },
        ]}
      />
      <FormDialog
        title="政府购买服务立项"
        open={creating}
        onClose={() => setCreating(false)}
        form={form}
        okText="立项"
        busy={submit.busy}
        error={submit.error}
      >
        <Form<ProjectForm>
          name="project-create"
          form={form}
          layout="vertical"
          onFinish={(v) => void create(v)}
        >
          <Form.Item
            name="name"
            label="项目名称"
            rules={[{ required: true, whitespace: true, message: '请填写项目名称' }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="providerId" label="承接方" rules={[{ validator: chosen('请选择承接方') }]}>
            <Select
              optionFilterProp="label"
              showSearch
              options={providers.filter((p) => p.active).map((p) => ({ value: p.providerId, label: p.name }))}
            />
          </Form.Item>
          <Form.Item
            name="budget"
            label="项目预算（元）"
            rules={[{ required: true, message: '请填写项目预算' }]}
          >
            <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="periodFrom"
            label="服务期开始日期"
            rules={[{ required: true, message: '请选择开始日期' }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="periodTo"
            label="服务期结束日期"
            rules={[{ required: true, message: '请选择结束日期' }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </FormDialog>
      <Drawer
        open={open !== null}
        width={560}
        title={open?.name ?? '政府购买服务项目'}
        onClose={() => setOpen(null)}
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="承接方">{open.provider.name}</Descriptions.Item>
              <Descriptions.Item label="预算">{yuan(open.budget)}</Descriptions.Item>
              <Descriptions.Item label="已用">{yuan(open.charged)}</Descriptions.Item>
              <Descriptions.Item label="剩余">
                <span data-testid="project-remaining">{yuan(open.remaining)}</span>
              </Descriptions.Item>
              <Descriptions.Item label="服务期">
                {open.periodFrom} 至 {open.periodTo}
              </Descriptions.Item>
              <Descriptions.Item label="立项">
                {by(open.createdBy)} {open.createdAt}
              </Descriptions.Item>
            </Descriptions>
            <Table
              rowKey="serviceId"
              size="small"
              pagination={false}
              dataSource={open.services}
              locale={{ emptyText: <span style={muted}>{'尚无计入项目的服务'}</span> }}
              columns={[
                { title: '服务', dataIndex: 'serviceName' },
                {
                  title: '费用',
                  render: (_: unknown, s: ProjectView['services'][number]) => nowrap(yuan(s.amount)),
                },
                { title: '计入日期', dataIndex: 'on', render: nowrap },
              ]}
            />
          </Space>
        )}
      </Drawer>
    </Space>
  );
}
