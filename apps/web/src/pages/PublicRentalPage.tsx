import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, apiErrorText } from '../api';
import { isCounty, useCounties, usePlaces, useSubmit } from '../hooks';
import { beijingToday } from '../labels';
import { useSession } from '../session';
import { FormDialog, muted, nowrap, TAG } from '../ui';
import { RequiredSelect } from './DepartmentFormCard';
import {
  HOUSING_CATEGORIES,
  HouseholdAtHome,
  householdAtHome,
  type HouseholdAtHomeForm,
} from './HousingForms';

interface Waiting {
  position: number;
  applicationId: string;
  headName: string;
  headIdNumber: string;
  householdSize: number;
  categoryName: string;
  priority: boolean;
  appliedOn: string;
  jurisdictionName: string;
}

interface WaitingList {
  countyName: string;
  day: string;
  priorityCategoryNames: string[];
  items: Waiting[];
  total: number;
}

interface JoinForm extends HouseholdAtHomeForm {
  category: string;
  appliedOn: string;
}

interface AllocateForm {
  unitId: string;
  address: string;
  bedrooms: number;
  areaM2: number;
  allocatedOn: string;
  documentNumber: string;
}

const PAGE_SIZE = 20;
const textRules = (message: string) => [{ required: true, whitespace: true, message }];

/**
 * 公共租赁住房轮候: a county's waiting list in allocation order on the day — the priority categories the
 * policy names (dibao and special-hardship households, as civil affairs recorded them) first, then by the
 * day applied. A county's housing officer registers a household, allocates a unit to the first in line
 * only, and removes a household with a reason; auditors and city staff choose the county and read.
 */
export default function PublicRentalPage() {
  const { message } = App.useApp();
  const { session } = useSession();
  const own = session?.user.jurisdiction ?? '';
  const officer = session?.user.role === 'housing_officer';
  const [county, setCounty] = useState(isCounty(own) ? own : '');
  const [page, setPage] = useState(1);
  const [list, setList] = useState<WaitingList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { counties } = useCounties(setError);
  const [joining, setJoining] = useState(false);
  const [allocating, setAllocating] = useState<Waiting | null>(null);
  const [removing, setRemoving] = useState<Waiting | null>(null);
  const submit = useSubmit();
  const [joinForm] = Form.useForm<JoinForm>();
  const [allocateForm] = Form.useForm<AllocateForm>();
  const [removeForm] = Form.useForm<{ reason: string }>();
  const places = usePlaces(message.error);
  const base = `/housing/public-rental/${county}`;

  const reload = useCallback(() => {
    if (!county) return;
    api<WaitingList>(
      'GET',
      `/housing/public-rental/${county}/waiting-list?page=${page}&pageSize=${PAGE_SIZE}`,
    )
      .then((l) => {
        setList(l);
        setError(null);
      })
      .catch((e) => setError(apiErrorText(e, '轮候名单加载失败')));
  }, [county, page]);
  useEffect(reload, [reload]);

  const done = (text: string) => {
    message.success(text);
    reload();
  };
  const join = async (v: JoinForm) => {
    const r = await submit.run(() =>
      api('POST', `${base}/applications`, {
        ...householdAtHome(v),
        ...(v.category ? { category: v.category } : {}),
        appliedOn: v.appliedOn,
      }),
    );
    if (r === undefined) return;
    setJoining(false);
    joinForm.resetFields();
    done(`已登记轮候：${v.headName.trim()}`);
  };
  const allocate = async (v: AllocateForm) => {
    if (!allocating) return;
    const r = await submit.run(() =>
      api('POST', `${base}/applications/${allocating.applicationId}/allocation`, {
        unit: { unitId: v.unitId.trim(), address: v.address.trim(), bedrooms: v.bedrooms, areaM2: v.areaM2 },
        allocatedOn: v.allocatedOn,
        documentNumber: v.documentNumber.trim(),
      }),
    );
    if (r === undefined) return;
    setAllocating(null);
    done(`已配租：${allocating.headName}，房源 ${v.unitId.trim()}`);
  };
  const remove = async (v: { reason: string }) => {
    if (!removing) return;
    const r = await submit.run(() =>
      api('POST', `${base}/applications/${removing.applicationId}/removal`, { reason: v.reason.trim() }),
    );
    if (r === undefined) return;
    setRemoving(null);
    done(`已移出轮候名单：${removing.headName}`);
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          公共租赁住房轮候{list && county ? ` · ${list.countyName}` : ''}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {list && (
          <Typography.Paragraph style={{ ...muted, margin: 0 }}>
            {list.day} 的配租顺序：{list.priorityCategoryNames.join('、')}
            优先（以民政部门认定为准），其余按申请日期。 房源只能配给名单首位的家庭。
          </Typography.Paragraph>
        )}
        <Space wrap>
          {!isCounty(own) && (
            <Select
              aria-label="旗县区"
              placeholder="选择旗县区"
              style={{ width: 220 }}
              value={county || undefined}
              options={counties}
              onChange={(c: string) => {
                setCounty(c);
                setPage(1);
              }}
            />
          )}
          {officer && county && (
            <Button
              type="primary"
              onClick={() => {
                joinForm.resetFields();
                submit.setError(null);
                places.reset();
                setJoining(true);
              }}
            >
              登记轮候
            </Button>
          )}
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        <Table<Waiting>
          rowKey="applicationId"
          dataSource={list?.items ?? []}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <span style={muted}>{county ? '轮候名单为空' : '请选择旗县区'}</span> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 户轮候`,
            onChange: setPage,
          }}
          columns={[
            { title: '顺位', dataIndex: 'position', render: (n: number) => `第 ${n} 位` },
            { title: '户主', dataIndex: 'headName' },
            { title: '身份证号码', dataIndex: 'headIdNumber', render: nowrap },
            { title: '人口', dataIndex: 'householdSize', render: (n: number) => `${n} 人` },
            {
              title: '类别',
              render: (_: unknown, r) =>
                r.priority ? <Tag style={TAG.waiting}>{r.categoryName}（优先）</Tag> : r.categoryName,
            },
            { title: '申请日期', dataIndex: 'appliedOn', render: nowrap },
            { title: '居住地', dataIndex: 'jurisdictionName' },
            ...(officer
              ? [
                  {
                    title: '操作',
                    render: (_: unknown, r: Waiting) => (
                      <Space>
                        {r.position === 1 && (
                          <Button
                            size="small"
                            type="primary"
                            onClick={() => {
                              allocateForm.resetFields();
                              submit.setError(null);
                              setAllocating(r);
                            }}
                          >
                            配租
                          </Button>
                        )}
                        <Button
                          size="small"
                          onClick={() => {
                            removeForm.resetFields();
                            submit.setError(null);
                            setRemoving(r);
                          }}
                        >
                          移出
                        </Button>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Space>

      <FormDialog
        title="登记轮候"
        open={joining}
        onClose={() => setJoining(false)}
        form={joinForm}
        okText="登记"
        busy={submit.busy}
        error={submit.error}
        width={640}
      >
        <Form<JoinForm>
          name="public-rental-join"
          form={joinForm}
          layout="vertical"
          initialValues={{ category: '', appliedOn: beijingToday() }}
          onFinish={(v) => void join(v)}
        >
          <HouseholdAtHome places={places} />
          <Space wrap size="middle" align="start">
            <Form.Item name="category" label="家庭类别">
              <RequiredSelect style={{ width: 320 }} options={HOUSING_CATEGORIES} />
            </Form.Item>
            <Form.Item
              name="appliedOn"
              label="申请日期"
              rules={[{ required: true, message: '请填写申请日期' }]}
            >
              <Input type="date" style={{ width: 180 }} />
            </Form.Item>
          </Space>
        </Form>
      </FormDialog>

      <FormDialog
        title={allocating ? `配租 · ${allocating.headName}` : '配租'}
        open={allocating !== null}
        onClose={() => setAllocating(null)}
        form={allocateForm}
        okText="配租"
        busy={submit.busy}
        error={submit.error}
        width={640}
      >
        <Form<AllocateForm>
          name="public-rental-allocate"
          form={allocateForm}
          layout="vertical"
          initialValues={{ allocatedOn: beijingToday() }}
          onFinish={(v) => void allocate(v)}
        >
          <Space wrap size="middle" align="start">
            <Form.Item name="unitId" label="房源编号" rules={textRules('请填写房源编号')}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="documentNumber" label="配租文号" rules={textRules('请填写配租文号')}>
              <Input maxLength={60} />
            </Form.Item>
          </Space>
          <Form.Item name="address" label="房源地址" rules={textRules('请填写房源地址')}>
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap size="middle" align="start">
            <Form.Item name="bedrooms" label="卧室数" rules={[{ required: true, message: '请填写卧室数' }]}>
              <InputNumber min={0} max={10} precision={0} />
            </Form.Item>
            <Form.Item
              name="areaM2"
              label="建筑面积（平方米）"
              rules={[{ required: true, message: '请填写建筑面积' }]}
            >
              <InputNumber min={1} max={500} precision={2} />
            </Form.Item>
            <Form.Item
              name="allocatedOn"
              label="配租日期"
              rules={[{ required: true, message: '请填写配租日期' }]}
            >
              <Input type="date" style={{ width: 180 }} />
            </Form.Item>
          </Space>
        </Form>
      </FormDialog>

      <FormDialog
        title={removing ? `移出轮候名单 · ${removing.headName}` : '移出轮候名单'}
        open={removing !== null}
        onClose={() => setRemoving(null)}
        form={removeForm}
        okText="移出"
        busy={submit.busy}
        error={submit.error}
      >
        <Form<{ reason: string }>
          name="public-rental-remove"
          form={removeForm}
          layout="vertical"
          onFinish={(v) => void remove(v)}
        >
          <Form.Item name="reason" label="移出理由" rules={textRules('移出须写明理由')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </FormDialog>
    </Card>
  );
}
