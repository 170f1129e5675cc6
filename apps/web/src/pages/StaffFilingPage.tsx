import {
  App,
  Button,
  Card,
  Cascader,
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
import { api } from '../api';
import { usePlaces, useServerPage, useSubmit, type Place } from '../hooks';
import { beijingTime, chosen } from '../labels';
import { RESIDENT_ID_RULES } from '../resident-id';
import { useSession } from '../session';
import { FormDialog, muted, nowrap, OpenLink, ServerTable, TAG } from '../ui';

const BASE = '/civil-affairs/staff-filings';
const KIND_OPTIONS = [
  { value: 'staff', label: '民政部门、乡镇（街道）社会救助经办人员' },
  { value: 'cadre', label: '村（居）民委员会干部' },
];
const RELATIONSHIP_OPTIONS = [
  { value: 'spouse', label: '配偶' },
  { value: 'parent', label: '父母' },
  { value: 'child', label: '子女' },
  { value: 'sibling', label: '兄弟姐妹' },
  { value: 'parent_in_law', label: '配偶的父母' },
  { value: 'child_in_law', label: '子女的配偶' },
  { value: 'grandparent', label: '祖父母、外祖父母' },
  { value: 'grandchild', label: '孙子女、外孙子女' },
];
/** Why a detail view is opened: every view of the full ID numbers is recorded with it. */
const PURPOSE = '备案管理';

interface Row {
  filingId: string;
  staffName: string;
  staffIdNumber: string;
  kindName: string;
  position: string;
  organisation: string;
  jurisdictionName: string;
  relativeCount: number;
  active: boolean;
  statusName: string;
  updatedAt: string;
}

interface Relative {
  name: string;
  idNumber: string;
  relationship: string;
  relationshipName: string;
}

interface FilingView {
  filingId: string;
  status: 'active' | 'retired';
  statusName: string;
  staff: {
    name: string;
    idNumber: string;
    kindName: string;
    position: string;
    organisation: string;
    jurisdictionName: string;
  };
  relatives: Relative[];
  amendments: { added: Relative[]; removed: Relative[]; reason: string; byName: string; at: string }[];
  filedByName: string | null;
  filedAt: string;
  retirement: { reason: string; leftOn: string; byName: string; at: string } | null;
}

interface RelativeForm {
  name: string;
  idNumber: string;
  relationship: string;
}

interface FilingForm {
  name: string;
  idNumber: string;
  kind: string;
  position: string;
  organisation: string;
  place: string[];
  relatives?: RelativeForm[];
}

const relative = (r: RelativeForm) => ({
  name: r.name.trim(),
  idNumber: r.idNumber.trim().toUpperCase(),
  relationship: r.relationship,
});

/** The relatives part of a form: name, ID number (checked as typed) and relationship, one card each. */
function RelativesList({ name }: { name: string }) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          {fields.map((f, i) => (
            <Card
              key={f.key}
              size="small"
              title={`近亲属 ${i + 1}`}
              extra={
                <Button size="small" type="link" onClick={() => remove(f.name)}>
                  删除
                </Button>
              }
            >
              <Form.Item
                name={[f.name, 'name']}
                label="姓名"
                rules={[{ required: true, whitespace: true, message: '请填写近亲属姓名' }]}
              >
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item name={[f.name, 'idNumber']} label="身份证号码" required rules={RESIDENT_ID_RULES}>
                <Input maxLength={18} />
              </Form.Item>
              <Form.Item
                name={[f.name, 'relationship']}
                label="与备案人的关系"
                rules={[{ validator: chosen('请选择与备案人的关系') }]}
              >
                <Select options={RELATIONSHIP_OPTIONS} />
              </Form.Item>
            </Card>
          ))}
          <Button onClick={() => add({})}>增加近亲属</Button>
        </Space>
      )}
    </Form.List>
  );
}

/**
 * 经办人员和村（居）委会干部近亲属备案: social-assistance staff and village cadres file their close relatives, so
 * that an application from one of them is reviewed with that known. The county bureau (and the city's
 * administrators) file staff and cadres, a township its villages' cadres; auditors read. Lists mask ID
 * numbers; the detail view shows them whole and is recorded in the access log.
 */
export default function StaffFilingPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const role = session?.user.role ?? '';
  const writes = role !== 'auditor';
  const township = role === 'township_officer';
  const [active, setActive] = useState('true');
  const [name, setName] = useState('');
  const list = useServerPage<Row>(BASE, { active, name: name.trim() || undefined });
  const [open, setOpen] = useState<FilingView | null>(null);
  const [filing, setFiling] = useState(false);
  const [amending, setAmending] = useState(false);
  const [retiring, setRetiring] = useState(false);
  const submit = useSubmit();
  const [form] = Form.useForm<FilingForm>();
  const [amendForm] = Form.useForm<{ add?: RelativeForm[]; remove?: string[]; reason: string }>();
  const [retireForm] = Form.useForm<{ reason: string; leftOn: Dayjs }>();
  const places = usePlaces(message.error);

  const startFiling = () => {
    form.resetFields();
    submit.setError(null);
    places.reset();
    setFiling(true);
  };
  const show = async (filingId: string) => {
    submit.setError(null);
    setOpen(await api<FilingView>('GET', `${BASE}/${filingId}?purpose=${encodeURIComponent(PURPOSE)}`));
  };
  const file = async (v: FilingForm) => {
    const created = await submit.run(() =>
      api<FilingView>('POST', BASE, {
        staff: {
          name: v.name.trim(),
          idNumber: v.idNumber.trim().toUpperCase(),
          kind: township ? 'cadre' : v.kind,
          position: v.position.trim(),
          organisation: v.organisation.trim(),
          jurisdictionCode: v.place[v.place.length - 1],
        },
        relatives: (v.relatives ?? []).map(relative),
      }),
    );
    if (!created) return;
    message.success(`已备案：${created.staff.name}`);
    setFiling(false);
    // The dialog stays mounted: a closed form holds no one's details.
    form.resetFields();
    list.reload();
  };
  const change = async (path: string, body: unknown, done: string, close: () => void) => {
    if (!open) return;
    const next = await submit.run(() => api<FilingView>('POST', `${BASE}/${open.filingId}${path}`, body));
    if (!next) return;
    message.success(done);
    close();
    await show(open.filingId);
    list.reload();
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          经办人员和村（居）委会干部近亲属备案
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap>
          <Segmented
            aria-label="按是否在册筛选"
            value={active}
            onChange={(v) => setActive(String(v))}
            options={[
              { label: '在册', value: 'true' },
              { label: '已注销', value: 'false' },
              { label: '全部', value: '' },
            ]}
          />
          <Input.Search
            aria-label="按姓名查找（备案人或近亲属）"
            placeholder="姓名（备案人或近亲属）"
            allowClear
            onSearch={setName}
            style={{ width: 260 }}
          />
          {writes && (
            <Button type="primary" onClick={startFiling}>
              新增备案
            </Button>
          )}
        </Space>
        {township && (
          <Typography.Text style={muted}>
            乡镇（街道）为所辖村（社区）的村（居）委会干部备案。
          </Typography.Text>
        )}
        <ServerTable<Row>
          list={list}
          rowKey="filingId"
          scrollX={1000}
          empty="暂无备案"
          columns={[
            {
              title: '姓名',
              dataIndex: 'staffName',
              render: (n: string, r) => <OpenLink onOpen={() => void show(r.filingId)}>{n}</OpenLink>,
            },
            { title: '身份证号码', dataIndex: 'staffIdNumber', render: nowrap },
            { title: '职务', dataIndex: 'position' },
            { title: '工作单位', dataIndex: 'organisation' },
            { title: '任职地', dataIndex: 'jurisdictionName' },
            { title: '近亲属', render: (_: unknown, r) => nowrap(`${r.relativeCount} 人`) },
            {
              title: '状态',
              render: (_: unknown, r) => <Tag style={r.active ? TAG.done : TAG.stopped}>{r.statusName}</Tag>,
            },
            { title: '更新时间', render: (_: unknown, r) => nowrap(beijingTime(r.updatedAt)) },
          ]}
        />
      </Space>

      <FormDialog
        title="新增备案"
        open={filing}
        onClose={() => setFiling(false)}
        form={form}
        okText="备案"
        busy={submit.busy}
        error={submit.error}
        width={640}
      >
        <Form<FilingForm> name="staff-filing" form={form} layout="vertical" onFinish={(v) => void file(v)}>
          <Form.Item
            name="name"
            label="备案人姓名"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="idNumber" label="备案人身份证号码" required rules={RESIDENT_ID_RULES}>
            <Input maxLength={18} />
          </Form.Item>
          {!township && (
            <Form.Item name="kind" label="备案对象" rules={[{ validator: chosen('请选择备案对象') }]}>
              <Select options={KIND_OPTIONS} />
            </Form.Item>
          )}
          <Form.Item
            name="position"
            label="职务"
            rules={[{ required: true, whitespace: true, message: '请填写职务' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="organisation"
            label="工作单位"
            rules={[{ required: true, whitespace: true, message: '请填写工作单位' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="place"
            label="任职地"
            rules={[{ validator: chosen('请选择任职地') }]}
            extra={<span style={muted}>经办人员选旗县区或乡镇（街道），村（居）委会干部选到村（社区）</span>}
          >
            <Cascader
              options={places.options}
              loadData={(path) => void places.load(path as Place[])}
              changeOnSelect
              placeholder="请选择"
            />
          </Form.Item>
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            近亲属
          </Typography.Title>
          <RelativesList name="relatives" />
        </Form>
      </FormDialog>

      <Drawer
        open={open !== null}
        width={640}
        title={open ? `备案 · ${open.staff.name}` : '备案'}
        onClose={() => setOpen(null)}
      >
        {open && (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Typography.Text style={muted}>
              本次查看已记入个人信息查看记录（目的：{PURPOSE}）。
            </Typography.Text>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="状态">
                <span data-testid="filing-status">{open.statusName}</span>
              </Descriptions.Item>
              <Descriptions.Item label="身份证号码">{open.staff.idNumber}</Descriptions.Item>
              <Descriptions.Item label="备案对象">{open.staff.kindName}</Descriptions.Item>
              <Descriptions.Item label="职务">{open.staff.position}</Descriptions.Item>
              <Descriptions.Item label="工作单位">{open.staff.organisation}</Descriptions.Item>
              <Descriptions.Item label="任职地">{open.staff.jurisdictionName}</Descriptions.Item>
              <Descriptions.Item label="备案">
                {open.filedByName ?? ''} {beijingTime(open.filedAt)}
              </Descriptions.Item>
              {open.retirement && (
                <Descriptions.Item label="注销">
                  {open.retirement.leftOn} 离岗：{open.retirement.reason}（{open.retirement.byName}{' '}
                  {beijingTime(open.retirement.at)}）
                </Descriptions.Item>
              )}
            </Descriptions>
            <Table
              rowKey="idNumber"
              size="small"
              pagination={false}
              dataSource={open.relatives}
              locale={{ emptyText: <span style={muted}>{'未登记近亲属'}</span> }}
              columns={[
                { title: '近亲属', dataIndex: 'name' },
                { title: '关系', dataIndex: 'relationshipName' },
                { title: '身份证号码', dataIndex: 'idNumber', render: nowrap },
              ]}
            />
            {open.amendments.length > 0 && (
              <div>
                <Typography.Title level={2} style={{ fontSize: 16 }}>
                  变更记录
                </Typography.Title>
                <ul style={{ paddingLeft: 20, margin: 0 }}>
                  {open.amendments.map((a, i) => (
                    <li key={i}>
                      {[
                        a.added.length > 0
                          ? `增加 ${a.added.map((r) => `${r.name}（${r.relationshipName}）`).join('、')}`
                          : '',
                        a.removed.length > 0
                          ? `删除 ${a.removed.map((r) => `${r.name}（${r.relationshipName}）`).join('、')}`
                          : '',
                      ]
                        .filter(Boolean)
                        .join('；')}
                      ：{a.reason}（{a.byName} {beijingTime(a.at)}）
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {writes && open.status === 'active' && (
              <Space>
                <Button
                  onClick={() => {
                    amendForm.resetFields();
                    submit.setError(null);
                    setAmending(true);
                  }}
                >
                  变更近亲属
                </Button>
                <Button
                  danger
                  onClick={() => {
                    retireForm.resetFields();
                    submit.setError(null);
                    setRetiring(true);
                  }}
                >
                  注销备案
                </Button>
              </Space>
            )}
          </Space>
        )}
      </Drawer>

      <FormDialog
        title="变更近亲属"
        open={amending}
        onClose={() => setAmending(false)}
        form={amendForm}
        okText="保存变更"
        busy={submit.busy}
        error={submit.error}
        width={640}
        aboveDrawer
      >
        <Form
          name="staff-filing-amend"
          form={amendForm}
          layout="vertical"
          onFinish={(v: { add?: RelativeForm[]; remove?: string[]; reason: string }) =>
            void change(
              '/relatives',
              { add: (v.add ?? []).map(relative), remove: v.remove ?? [], reason: v.reason.trim() },
              '已变更近亲属',
              () => {
                setAmending(false);
                amendForm.resetFields();
              },
            )
          }
        >
          {(open?.relatives.length ?? 0) > 0 && (
            <Form.Item name="remove" label="删除的近亲属">
              <Checkbox.Group
                options={(open?.relatives ?? []).map((r) => ({
                  value: r.idNumber,
                  label: `${r.name}（${r.relationshipName}）`,
                }))}
              />
            </Form.Item>
          )}
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            增加的近亲属
          </Typography.Title>
          <RelativesList name="add" />
          <Form.Item
            name="reason"
            label="变更理由"
            style={{ marginTop: 16 }}
            rules={[{ required: true, whitespace: true, message: '请填写变更理由' }]}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </FormDialog>

      <FormDialog
        title="注销备案"
        open={retiring}
        onClose={() => setRetiring(false)}
        form={retireForm}
        okText="注销"
        busy={submit.busy}
        error={submit.error}
        aboveDrawer
      >
        <Form
          name="staff-filing-retire"
          form={retireForm}
          layout="vertical"
          onFinish={(v: { reason: string; leftOn: Dayjs }) =>
            void change(
              '/retire',
              { reason: v.reason.trim(), leftOn: v.leftOn.format('YYYY-MM-DD') },
              '备案已注销',
              () => setRetiring(false),
            )
          }
        >
          <Form.Item name="leftOn" label="离岗日期" rules={[{ required: true, message: '请选择离岗日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="reason"
            label="注销理由"
            rules={[{ required: true, whitespace: true, message: '请填写注销理由' }]}
          >
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </FormDialog>
    </Card>
  );
}
