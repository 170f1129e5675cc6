import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, apiErrorText, type Page } from '../api';
import { beijingTime, chosen, ROLE_NAMES } from '../labels';
import { useSession } from '../session';

interface UserRow {
  id: string;
  username: string;
  name: string;
  role: string;
  roleName: string;
  department: string;
  departmentName: string;
  jurisdiction: string;
  jurisdictionName: string;
  organisation: string | null;
  email: string | null;
  active: boolean;
  statusName: string;
  mustChangePassword: boolean;
  disabledReason: string | null;
  updatedAt: string;
}

interface Division {
  code: string;
  name: string;
  levelName: string;
  fullName: string;
}

interface CreateForm {
  username: string;
  name: string;
  role: string;
  jurisdiction: string;
  department?: string;
  organisation?: string;
  email?: string;
  initialPassword: string;
}

const PAGE_SIZE = 20;
const ASSIGNABLE_ROLES = Object.keys(ROLE_NAMES).filter((r) => r !== 'system');
const DEPARTMENTS: Record<string, string> = {
  intake: '一门受理（乡镇、街道窗口）',
  'civil-affairs': '民政部门',
  health: '卫生健康部门',
  housing: '住房部门',
  education: '教育部门',
  government: '同级政府',
  oversight: '监督（联席会议、责任追究）',
  platform: '平台运维',
};
const PASSWORD_RULE = '至少10个字符，含大写字母、小写字母、数字、符号中的三类，不含用户名';
// Darker than antd's hint grey so the text keeps a 4.5:1 contrast (axe color-contrast).
const hint = (text: string) => <span style={{ color: '#595959' }}>{text}</span>;
const short = (fullName: string) => fullName.replace(/^巴彦淖尔市(?=.)/, '') || fullName;

/** A division chosen by name: the server searches the administrator's own part of the tree. */
function DivisionSelect(props: { id?: string; value?: string; onChange?: (v: string) => void }) {
  const [options, setOptions] = useState<Division[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const search = useCallback((q: string) => {
    const n = ++seq.current;
    setLoading(true);
    api<Page<Division>>('GET', `/admin/jurisdictions?${new URLSearchParams({ q, pageSize: '50' })}`)
      .then((d) => n === seq.current && setOptions(d.items))
      .catch(() => undefined)
      .finally(() => n === seq.current && setLoading(false));
  }, []);
  useEffect(() => search(''), [search]);
  return (
    <Select
      id={props.id}
      showSearch
      filterOption={false}
      onSearch={search}
      loading={loading}
      value={props.value}
      onChange={props.onChange}
      placeholder="输入名称查找，如 双河镇"
      notFoundContent="没有匹配的区划"
      options={options.map((d) => ({
        value: d.code,
        label: `${short(d.fullName)}（${d.levelName}）`,
      }))}
    />
  );
}

export default function AdminUsersPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [active, setActive] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<UserRow> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [disabling, setDisabling] = useState<UserRow | null>(null);
  const [mailing, setMailing] = useState<UserRow | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [createForm] = Form.useForm<CreateForm>();
  const [resetForm] = Form.useForm<{ temporaryPassword: string }>();
  const [disableForm] = Form.useForm<{ reason: string }>();
  const [emailForm] = Form.useForm<{ email?: string }>();

  const load = useCallback(() => {
    setLoading(true);
    const p = new URLSearchParams({
      page: String(page),
      pageSize: String(PAGE_SIZE),
      ...(query ? { q: query } : {}),
      ...(role ? { role } : {}),
      ...(active ? { active } : {}),
    });
    api<Page<UserRow>>('GET', `/admin/users?${p}`)
      .then((d) => (setData(d), setError(null)))
      .catch((e) => setError(apiErrorText(e, '加载失败')))
      .finally(() => setLoading(false));
  }, [page, query, role, active]);
  useEffect(load, [load]);

  const act = async (what: () => Promise<unknown>, done: string, close: () => void) => {
    setBusy(true);
    setFormError(null);
    try {
      await what();
      message.success(done);
      close();
      load();
    } catch (e) {
      setFormError(apiErrorText(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  const openModal = (open: () => void) => {
    setFormError(null);
    open();
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          用户管理
        </Typography.Title>
      }
      extra={
        <Button
          type="primary"
          onClick={() =>
            openModal(() => {
              createForm.resetFields();
              setCreating(true);
            })
          }
        >
          新建用户
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Text style={{ color: '#595959' }}>
          管理范围：{session ? short(session.user.jurisdictionName) : ''}
          {session?.user.jurisdiction === '150800000000' ? '（全市）' : '（仅本辖区用户）'}
        </Typography.Text>
        <Space wrap>
          <Input.Search
            aria-label="按姓名或用户名查找"
            placeholder="姓名或用户名"
            allowClear
            style={{ width: 240 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => {
              setQuery(v.trim());
              setPage(1);
            }}
          />
          <Select
            aria-label="按角色筛选"
            placeholder="全部角色"
            allowClear
            style={{ width: 240 }}
            value={role}
            onChange={(v) => {
              setRole(v);
              setPage(1);
            }}
            options={ASSIGNABLE_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))}
          />
          <Select
            aria-label="按状态筛选"
            placeholder="全部状态"
            allowClear
            style={{ width: 140 }}
            value={active}
            onChange={(v) => {
              setActive(v);
              setPage(1);
            }}
            options={[
              { value: 'true', label: '在用' },
              { value: 'false', label: '已停用' },
            ]}
          />
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        <Table<UserRow>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <span style={{ color: '#595959' }}>{'没有符合条件的用户'}</span> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 人`,
            onChange: setPage,
          }}
          columns={[
            {
              title: '姓名',
              dataIndex: 'name',
              render: (n: string) => <span style={{ whiteSpace: 'nowrap' }}>{n}</span>,
            },
            { title: '用户名', dataIndex: 'username' },
            { title: '角色', dataIndex: 'roleName' },
            { title: '辖区', dataIndex: 'jurisdictionName', render: (n: string) => short(n) },
            {
              title: '部门',
              render: (_: unknown, u) => [u.departmentName, u.organisation].filter(Boolean).join('，'),
            },
            {
              title: '工作邮箱',
              render: (_: unknown, u) => u.email ?? <span style={{ color: '#595959' }}>未设置</span>,
            },
            {
              title: '状态',
              render: (_: unknown, u) => (
                <Space size={4} wrap>
                  <Tag
                    style={
                      u.active
                        ? { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' }
                        : { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' }
                    }
                  >
                    {u.statusName}
                  </Tag>
                  {u.mustChangePassword && u.active && <Tag>待修改密码</Tag>}
                </Space>
              ),
            },
            {
              title: '最近变更',
              dataIndex: 'updatedAt',
              render: (t: string) => <span style={{ whiteSpace: 'nowrap' }}>{beijingTime(t)}</span>,
            },
            {
              title: '操作',
              render: (_: unknown, u) => (
                <Space size={4}>
                  <Button
                    size="small"
                    aria-label={`重置 ${u.name} 的密码`}
                    onClick={() =>
                      openModal(() => {
                        resetForm.resetFields();
                        setResetting(u);
                      })
                    }
                  >
                    重置密码
                  </Button>
                  <Button
                    size="small"
                    aria-label={`设置 ${u.name} 的工作邮箱`}
                    onClick={() =>
                      openModal(() => {
                        emailForm.setFieldsValue({ email: u.email ?? '' });
                        setMailing(u);
                      })
                    }
                  >
                    邮箱
                  </Button>
                  {u.active ? (
                    <Button
                      size="small"
                      // Darker than antd's danger red so the text keeps a 4.5:1 contrast (axe color-contrast).
                      style={
                        u.id === session?.user.id ? undefined : { color: '#a8071a', borderColor: '#ffa39e' }
                      }
                      aria-label={`停用 ${u.name}`}
                      disabled={u.id === session?.user.id}
                      onClick={() =>
                        openModal(() => {
                          disableForm.resetFields();
                          setDisabling(u);
                        })
                      }
                    >
                      停用
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      aria-label={`启用 ${u.name}`}
                      onClick={() =>
                        void act(
                          () => api('POST', `/admin/users/${u.id}/enable`, {}),
                          `已启用 ${u.name}`,
                          () => undefined,
                        )
                      }
                    >
                      启用
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Space>

      <Modal
        title="新建用户"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        okText="创建"
        cancelText="取消"
        confirmLoading={busy}
        forceRender
      >
        {formError && (
          <Alert type="error" showIcon role="alert" message={formError} style={{ marginBottom: 16 }} />
        )}
        <Form<CreateForm>
          form={createForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) =>
            void act(
              () =>
                api('POST', '/admin/users', {
                  ...v,
                  department: v.department || undefined,
                  organisation: v.organisation?.trim() || undefined,
                  email: v.email?.trim() || undefined,
                }),
              `已创建用户 ${v.name}，首次登录须修改密码`,
              () => setCreating(false),
            )
          }
        >
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="username"
            label="用户名"
            extra={hint('3至50位小写字母、数字、点、下划线或连字符')}
            rules={[{ required: true, message: '请填写用户名' }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          {/* Checked by a validator, not `required`: antd would set aria-required on the select's wrapper (axe). */}
          <Form.Item name="role" label="角色" rules={[{ validator: chosen('请选择角色') }]}>
            <Select options={ASSIGNABLE_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))} />
          </Form.Item>
          <Form.Item name="jurisdiction" label="辖区" rules={[{ validator: chosen('请选择辖区') }]}>
            <DivisionSelect />
          </Form.Item>
          <Form.Item name="department" label="部门" extra={hint('不选则按角色确定')}>
            <Select
              allowClear
              options={Object.entries(DEPARTMENTS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="organisation" label="所属组织（社会力量填写）">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="email"
            label="工作邮箱"
            extra={hint('所办转办事项逾期时发送提醒；可不填')}
            rules={[{ type: 'email', message: '邮箱格式不正确' }]}
          >
            <Input type="email" maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="initialPassword"
            label="初始密码"
            extra={hint(`${PASSWORD_RULE}；用户首次登录后须修改`)}
            rules={[{ required: true, message: '请设定初始密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={resetting ? `重置 ${resetting.name} 的密码` : ''}
        open={!!resetting}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        okText="重置"
        cancelText="取消"
        confirmLoading={busy}
        forceRender
      >
        {formError && (
          <Alert type="error" showIcon role="alert" message={formError} style={{ marginBottom: 16 }} />
        )}
        <Form
          form={resetForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { temporaryPassword: string }) =>
            void act(
              () => api('POST', `/admin/users/${resetting!.id}/reset-password`, v),
              `已重置 ${resetting!.name} 的密码，原登录凭证已失效`,
              () => setResetting(null),
            )
          }
        >
          <Form.Item
            name="temporaryPassword"
            label="临时密码"
            extra={hint(`${PASSWORD_RULE}；用户下次登录后须修改`)}
            rules={[{ required: true, message: '请设定临时密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={disabling ? `停用 ${disabling.name}` : ''}
        open={!!disabling}
        onCancel={() => setDisabling(null)}
        onOk={() => disableForm.submit()}
        okText="停用"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={busy}
        forceRender
      >
        {formError && (
          <Alert type="error" showIcon role="alert" message={formError} style={{ marginBottom: 16 }} />
        )}
        <Typography.Paragraph>停用后立即生效，该用户已签发的登录凭证随即失效。</Typography.Paragraph>
        <Form
          form={disableForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { reason: string }) =>
            void act(
              () => api('POST', `/admin/users/${disabling!.id}/disable`, v),
              `已停用 ${disabling!.name}`,
              () => setDisabling(null),
            )
          }
        >
          <Form.Item name="reason" label="停用理由" rules={[{ required: true, message: '请填写停用理由' }]}>
            <Input maxLength={200} placeholder="如 调离岗位" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={mailing ? `设置 ${mailing.name} 的工作邮箱` : ''}
        open={!!mailing}
        onCancel={() => setMailing(null)}
        onOk={() => emailForm.submit()}
        okText="保存"
        cancelText="取消"
        confirmLoading={busy}
        forceRender
      >
        {formError && (
          <Alert type="error" showIcon role="alert" message={formError} style={{ marginBottom: 16 }} />
        )}
        <Typography.Paragraph>
          该用户所在部门的转办事项逾期时，提醒发往此邮箱。留空保存即删除，不再收到提醒；不影响登录。
        </Typography.Paragraph>
        {/* Named: its field ids must not be those of the create form's email field (both dialogs stay rendered). */}
        <Form
          name="user-email"
          form={emailForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { email?: string }) =>
            void act(
              () => api('PUT', `/admin/users/${mailing!.id}/email`, { email: v.email?.trim() || null }),
              v.email?.trim() ? `已设置 ${mailing!.name} 的工作邮箱` : `已删除 ${mailing!.name} 的工作邮箱`,
              () => setMailing(null),
            )
          }
        >
          <Form.Item name="email" label="工作邮箱" rules={[{ type: 'email', message: '邮箱格式不正确' }]}>
            <Input type="email" maxLength={100} placeholder="如 wangjh@mzj.example.gov.cn" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
