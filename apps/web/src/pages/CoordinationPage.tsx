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
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError, apiErrorText } from '../api';
import { chosen, COORDINATION_DEPARTMENTS, DEPARTMENT_NAMES } from '../labels';
import { useServerPage } from '../hooks';
import { useSession } from '../session';
import { nowrap, OpenLink, ServerTable, TAG } from '../ui';

const DEPARTMENT_OF_ROLE: Record<string, string> = {
  county_civil_affairs: 'civil-affairs',
  health_officer: 'health',
  housing_officer: 'housing',
  education_officer: 'education',
};

interface ItemRow {
  itemId: string;
  caseNumber: string;
  need: string;
  departmentNames: string[];
  villageName: string;
  status: 'open' | 'closed';
  statusName: string;
  meetingCount: number;
  decisionCount: number;
  doneCount: number;
  overdueCount: number;
  openedByName: string;
  openedAt: string;
}

interface OfficerView {
  name: string;
  roleName: string;
  departmentName: string;
}

interface ItemView {
  itemId: string;
  caseNumber: string;
  need: string;
  departments: { department: string; departmentName: string }[];
  villageName: string;
  countyName: string;
  status: 'open' | 'closed';
  statusName: string;
  openedBy: OfficerView;
  openedAt: string;
  meetings: {
    meetingId: string;
    heldOn: string;
    departmentNames: string[];
    minutes: string;
    recordedBy: OfficerView;
  }[];
  decisions: {
    decisionId: string;
    text: string;
    ownerDepartment: string;
    ownerDepartmentName: string;
    dueOn: string;
    done: boolean;
    statusName: string;
    overdue: boolean;
    result: string | null;
    doneBy: OfficerView | null;
    doneAt: string | null;
  }[];
  followUps: { note: string; by: OfficerView; at: string }[];
  closure: { outcomeName: string; reason: string | null; by: OfficerView; at: string } | null;
}

interface MeetingForm {
  heldOn: Dayjs;
  departments: string[];
  minutes: string;
  decisions: { text: string; ownerDepartment: string; dueOn: Dayjs }[];
}

const STATUS_TAG = { open: TAG.open, closed: TAG.done } as const;
const departmentOptions = COORDINATION_DEPARTMENTS.map((d) => ({ value: d, label: DEPARTMENT_NAMES[d] }));
const by = (o: OfficerView) => `${o.name}（${o.departmentName}）`;

/**
 * 一事一议: the joint meeting's items for households no single department can help. County civil affairs
 * records meetings and their decisions and closes items; each decision's department records follow-ups
 * and marks it done; the government liaison, the joint meeting and auditors read.
 */
export default function CoordinationPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const role = session?.user.role ?? '';
  const ownDepartment = DEPARTMENT_OF_ROLE[role];
  const isCounty = role === 'county_civil_affairs';
  const [status, setStatus] = useState('');
  const list = useServerPage<ItemRow>('/civil-affairs/coordination', { status });
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ItemView | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [meetingForm] = Form.useForm<MeetingForm>();
  const [followForm] = Form.useForm<{ note: string }>();
  const [closeForm] = Form.useForm<{ reason?: string }>();
  const [doneForm] = Form.useForm<{ result: string }>();
  const [finishing, setFinishing] = useState<string | null>(null);

  const show = async (itemId: string) => {
    setFormError(null);
    setFinishing(null);
    try {
      setOpen(await api<ItemView>('GET', `/civil-affairs/coordination/${itemId}`));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  };

  /** Sends a change of the open item; the answer is the item as it now stands. */
  const act = async (path: string, body: unknown, done: string, reset?: () => void) => {
    if (!open) return;
    setBusy(true);
    setFormError(null);
    try {
      setOpen(await api<ItemView>('POST', `/civil-affairs/coordination/${open.itemId}${path}`, body));
      message.success(done);
      reset?.();
      list.reload();
    } catch (e) {
      setFormError(apiErrorText(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  const involved = open?.departments.some((d) => d.department === ownDepartment) ?? false;

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          一事一议协调事项
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {isCounty && (
          <Typography.Text style={{ color: '#595959' }}>
            立项：在低保特困审核的申请页上，对单靠一个部门解决不了的家庭点“一事一议立项”。
          </Typography.Text>
        )}
        <Segmented
          aria-label="按状态筛选"
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={[
            { label: '全部', value: '' },
            { label: '协调中', value: 'open' },
            { label: '已办结', value: 'closed' },
          ]}
        />
        {error && <Alert type="error" showIcon message={error} />}
        <ServerTable<ItemRow>
          list={list}
          rowKey="itemId"
          empty="暂无协调事项"
          columns={[
            {
              title: '案件编号',
              dataIndex: 'caseNumber',
              render: (n: string, r) => <OpenLink onOpen={() => void show(r.itemId)}>{nowrap(n)}</OpenLink>,
            },
            { title: '需要协调解决的事项', dataIndex: 'need' },
            { title: '参与部门', render: (_: unknown, r) => r.departmentNames.join('、') },
            { title: '村（社区）', dataIndex: 'villageName' },
            {
              title: '议定事项',
              render: (_: unknown, r) => (
                <Space size={4} wrap>
                  {nowrap(`已办结 ${r.doneCount} / ${r.decisionCount}`)}
                  {r.overdueCount > 0 && <Tag style={TAG.overdue}>逾期 {r.overdueCount}</Tag>}
                </Space>
              ),
            },
            {
              title: '状态',
              dataIndex: 'statusName',
              render: (s: string, r) => <Tag style={STATUS_TAG[r.status]}>{s}</Tag>,
            },
            { title: '立项', render: (_: unknown, r) => nowrap(`${r.openedByName} ${r.openedAt}`) },
          ]}
        />
      </Space>
      <Drawer
        open={open !== null}
        width={640}
        title={open ? `一事一议 · 案件 ${open.caseNumber}` : '一事一议'}
        onClose={() => setOpen(null)}
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="coordination-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="需要协调解决的事项">{open.need}</Descriptions.Item>
              <Descriptions.Item label="参与部门">
                {open.departments.map((d) => d.departmentName).join('、')}
              </Descriptions.Item>
              <Descriptions.Item label="村（社区）">{open.villageName}</Descriptions.Item>
              <Descriptions.Item label="立项">
                {by(open.openedBy)} {open.openedAt}
              </Descriptions.Item>
              {open.closure && (
                <Descriptions.Item label="办结">
                  {open.closure.outcomeName}
                  {open.closure.reason ? `：${open.closure.reason}` : ''}（{by(open.closure.by)}{' '}
                  {open.closure.at}）
                </Descriptions.Item>
              )}
            </Descriptions>

            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                联席会议
              </Typography.Title>
              {open.meetings.length === 0 ? (
                <Typography.Text style={{ color: '#595959' }}>尚未召开</Typography.Text>
              ) : (
                open.meetings.map((m) => (
                  <Descriptions
                    key={m.meetingId}
                    column={1}
                    bordered
                    size="small"
                    style={{ marginBottom: 8 }}
                  >
                    <Descriptions.Item label="会议日期">{m.heldOn}</Descriptions.Item>
                    <Descriptions.Item label="参会部门">{m.departmentNames.join('、')}</Descriptions.Item>
                    <Descriptions.Item label="会议纪要">{m.minutes}</Descriptions.Item>
                    <Descriptions.Item label="记录人">{by(m.recordedBy)}</Descriptions.Item>
                  </Descriptions>
                ))
              )}
            </div>

            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                议定事项
              </Typography.Title>
              <Table
                rowKey="decisionId"
                size="small"
                pagination={false}
                dataSource={open.decisions}
                locale={{ emptyText: <span style={{ color: '#595959' }}>{'暂无议定事项'}</span> }}
                columns={[
                  { title: '内容', dataIndex: 'text' },
                  { title: '责任部门', dataIndex: 'ownerDepartmentName' },
                  { title: '期限', dataIndex: 'dueOn', render: nowrap },
                  {
                    title: '状态',
                    render: (_: unknown, d: ItemView['decisions'][number]) => (
                      <Space direction="vertical" size={0}>
                        <Tag style={d.overdue && !d.done ? TAG.overdue : d.done ? TAG.done : TAG.open}>
                          {d.statusName}
                        </Tag>
                        {d.result && (
                          <span>
                            {d.result}（{d.doneBy ? by(d.doneBy) : ''} {d.doneAt}）
                          </span>
                        )}
                        {!d.done && open.status === 'open' && d.ownerDepartment === ownDepartment && (
                          <Button
                            size="small"
                            aria-label={`办结：${d.text}`}
                            onClick={() => {
                              setFormError(null);
                              doneForm.resetFields();
                              setFinishing(d.decisionId);
                            }}
                          >
                            办结
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]}
              />
              {finishing && (
                <Form
                  name="decision-done"
                  form={doneForm}
                  layout="vertical"
                  disabled={busy}
                  style={{ marginTop: 12 }}
                  onFinish={(v: { result: string }) =>
                    void act(
                      `/decisions/${finishing}/done`,
                      { result: v.result.trim() },
                      '已登记办理结果',
                      () => setFinishing(null),
                    )
                  }
                >
                  <Form.Item
                    name="result"
                    label="办理结果"
                    rules={[{ required: true, whitespace: true, message: '请填写办理结果' }]}
                  >
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy}>
                    确认办结
                  </Button>
                </Form>
              )}
            </div>

            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                跟进情况
              </Typography.Title>
              {open.followUps.length === 0 ? (
                <Typography.Text style={{ color: '#595959' }}>暂无</Typography.Text>
              ) : (
                <ul style={{ paddingLeft: 20, margin: 0 }}>
                  {open.followUps.map((f, i) => (
                    <li key={i}>
                      {f.note}（{by(f.by)} {f.at}）
                    </li>
                  ))}
                </ul>
              )}
              {open.status === 'open' && (isCounty || involved) && (
                <Form
                  name="follow-up"
                  form={followForm}
                  layout="vertical"
                  disabled={busy}
                  style={{ marginTop: 12 }}
                  onFinish={(v: { note: string }) =>
                    void act('/follow-ups', { note: v.note.trim() }, '已记录跟进情况', () =>
                      followForm.resetFields(),
                    )
                  }
                >
                  <Form.Item
                    name="note"
                    label="记录跟进情况"
                    rules={[{ required: true, whitespace: true, message: '请填写跟进情况' }]}
                  >
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                  <Button htmlType="submit" loading={busy}>
                    记录跟进
                  </Button>
                </Form>
              )}
            </div>

            {open.status === 'open' && isCounty && (
              <Form<MeetingForm>
                name="meeting"
                form={meetingForm}
                layout="vertical"
                disabled={busy}
                initialValues={{ departments: open.departments.map((d) => d.department), decisions: [{}] }}
                onFinish={(v) =>
                  void act(
                    '/meetings',
                    {
                      heldOn: v.heldOn.format('YYYY-MM-DD'),
                      departments: v.departments,
                      minutes: v.minutes.trim(),
                      decisions: (v.decisions ?? []).map((d) => ({
                        text: d.text.trim(),
                        ownerDepartment: d.ownerDepartment,
                        dueOn: d.dueOn.format('YYYY-MM-DD'),
                      })),
                    },
                    '已记录联席会议',
                    () => meetingForm.resetFields(),
                  )
                }
              >
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  记录联席会议
                </Typography.Title>
                <Form.Item
                  name="heldOn"
                  label="会议日期"
                  rules={[{ required: true, message: '请选择会议日期' }]}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item
                  name="departments"
                  label="参会部门"
                  rules={[{ validator: chosen('请选择参会部门') }]}
                >
                  <Checkbox.Group options={departmentOptions} />
                </Form.Item>
                <Form.Item
                  name="minutes"
                  label="会议纪要"
                  rules={[{ required: true, whitespace: true, message: '请填写会议纪要' }]}
                >
                  <Input.TextArea rows={3} maxLength={5000} />
                </Form.Item>
                <Form.List name="decisions">
                  {(fields, { add, remove }) => (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      {fields.map((f, i) => (
                        <Card
                          key={f.key}
                          size="small"
                          title={`议定事项 ${i + 1}`}
                          extra={
                            <Button size="small" type="link" onClick={() => remove(f.name)}>
                              删除
                            </Button>
                          }
                        >
                          <Form.Item
                            name={[f.name, 'text']}
                            label="内容"
                            rules={[{ required: true, whitespace: true, message: '请填写议定事项内容' }]}
                          >
                            <Input.TextArea rows={2} maxLength={2000} />
                          </Form.Item>
                          <Form.Item
                            name={[f.name, 'ownerDepartment']}
                            label="责任部门"
                            rules={[{ validator: chosen('请选择责任部门') }]}
                          >
                            <Select options={departmentOptions} />
                          </Form.Item>
                          <Form.Item
                            name={[f.name, 'dueOn']}
                            label="办理期限"
                            rules={[{ required: true, message: '请选择办理期限' }]}
                          >
                            <DatePicker style={{ width: '100%' }} />
                          </Form.Item>
                        </Card>
                      ))}
                      <Button onClick={() => add({})}>增加议定事项</Button>
                    </Space>
                  )}
                </Form.List>
                <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
                  保存会议记录
                </Button>
              </Form>
            )}

            {open.status === 'open' && isCounty && (
              <Form
                name="close"
                form={closeForm}
                layout="vertical"
                disabled={busy}
                onFinish={(v: { reason?: string }) =>
                  void act(
                    '/close',
                    v.reason?.trim() ? { reason: v.reason.trim() } : {},
                    '协调事项已办结',
                    () => closeForm.resetFields(),
                  )
                }
              >
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  办结协调事项
                </Typography.Title>
                <Form.Item
                  name="reason"
                  label="办结理由（议定事项未全部办结时必填）"
                  extra={<span style={{ color: '#595959' }}>议定事项全部办结后可直接办结</span>}
                >
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
                <Button htmlType="submit" loading={busy}>
                  办结
                </Button>
              </Form>
            )}
            {formError && <Alert type="error" showIcon role="alert" message={formError} />}
          </Space>
        )}
      </Drawer>
    </Card>
  );
}
