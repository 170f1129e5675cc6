import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
  type FormInstance,
  type SelectProps,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { CATEGORY_NAMES, CHANNEL_NAMES, RELATIONSHIP_NAMES } from '../labels';
import { RESIDENT_ID_RULES as idRules } from '../resident-id';

export interface FormValues {
  channel: string;
  villageCode: string;
  urgency: string;
  household: { name: string; idNumber: string; relationship: string; phone?: string }[];
  needs: { category: string; description: string; requestedAmount?: number | null }[];
  consentToShare: boolean;
  notifyConsent?: boolean;
  notifyEmail?: string;
}

const options = (names: Record<string, string>) =>
  Object.entries(names).map(([value, label]) => ({ value, label }));

/** Complete numbers are checked as they are typed; shorter ones when the field is left or the form sent. */

/**
 * A Select in a required Form.Item: the item hands it `aria-required`, which antd puts on the Select's outer
 * <div> (no role there, so screen readers ignore it and axe reports it); the asterisk and the message carry it.
 */
function RequiredSelect(props: SelectProps & { 'aria-required'?: unknown }) {
  const { 'aria-required': _required, ...rest } = props;
  return <Select {...rest} />;
}

/** The household and needs as the API takes them (`POST /cases`). */
export function householdAndNeeds(v: Pick<FormValues, 'household' | 'needs'>) {
  return {
    household: v.household.map((m) => ({
      name: m.name.trim(),
      idNumber: m.idNumber.trim().toUpperCase(),
      relationship: m.relationship,
      ...(m.phone ? { phone: m.phone.trim() } : {}),
    })),
    needs: v.needs.map((n) => ({
      category: n.category,
      description: n.description.trim(),
      ...(n.requestedAmount != null ? { requestedAmount: n.requestedAmount } : {}),
    })),
  };
}

/** Puts the server's words next to the fields it names (household.0.idNumber → that input). */
export function showFieldErrors(form: FormInstance, e: ApiError): void {
  form.setFields(
    e.fields.map((f) => ({
      name: f.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) as never,
      errors: f.problems,
    })),
  );
}

export default function OpenCasePage() {
  const [form] = Form.useForm<FormValues>();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [error, setError] = useState<{ message: string; problems: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: FormValues) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        channel: v.channel,
        villageCode: v.villageCode.trim(),
        urgency: v.urgency,
        consentToShare: v.consentToShare === true,
        ...(v.notifyConsent
          ? { notify: { consent: true, ...(v.notifyEmail?.trim() ? { email: v.notifyEmail.trim() } : {}) } }
          : {}),
        ...householdAndNeeds(v),
      };
      const created = await api<{ caseId: string; caseNumber: string }>('POST', '/cases', body);
      message.success(`已登记，案件编号 ${created.caseNumber}`);
      navigate(`/workbench/cases/${created.caseId}`);
    } catch (e) {
      if (e instanceof ApiError) {
        setError({ message: e.message, problems: e.fields.flatMap((f) => f.problems) });
        showFieldErrors(form, e);
      } else setError({ message: '登记失败，请稍后重试', problems: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          登记求助
        </Typography.Title>
      }
    >
      {error && (
        <Alert
          data-testid="server-error"
          type="error"
          showIcon
          role="alert"
          message={error.message}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          channel: 'window',
          urgency: 'normal',
          household: [{ relationship: 'applicant' }],
          needs: [{}],
          consentToShare: false,
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label="求助渠道" name="channel">
              <Select options={options(CHANNEL_NAMES)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label="所在村（社区）区划代码"
              name="villageCode"
              rules={[{ required: true, pattern: /^\d{12}$/, message: '村（社区）区划代码应为12位数字' }]}
            >
              <Input inputMode="numeric" maxLength={12} placeholder="例如 150802100201" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label="紧急程度" name="urgency">
              <Select
                options={[
                  { value: 'normal', label: '一般' },
                  { value: 'urgent', label: '紧急（救急难）' },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={2} style={{ fontSize: 16 }}>
          家庭成员
        </Typography.Title>
        <HouseholdFields />

        <Typography.Title level={2} style={{ fontSize: 16 }}>
          求助事项
        </Typography.Title>
        <NeedsFields />

        <Form.Item name="consentToShare" valuePropName="checked">
          <Checkbox>申请人同意向承办部门共享本人及家庭成员的信息</Checkbox>
        </Form.Item>
        <Form.Item name="notifyConsent" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox>申请人同意接收办理结果通知（短信发至申请人手机号码）</Checkbox>
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.notifyConsent !== b.notifyConsent}>
          {({ getFieldValue }) =>
            getFieldValue('notifyConsent') ? (
              <Form.Item
                name="notifyEmail"
                label="同时发送到邮箱（选填）"
                rules={[{ type: 'email', message: '邮箱格式不正确' }]}
                extra="申请人未留手机号码时须填写邮箱"
              >
                <Input placeholder="如 wang@example.com" style={{ maxWidth: 320 }} autoComplete="off" />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            提交登记
          </Button>
          <Button onClick={() => navigate('/workbench/cases')}>取消</Button>
        </Space>
      </Form>
    </Card>
  );
}

/** 家庭成员 (成员N 姓名、身份证号码、关系、手机号码): shared by every form that registers a household. */
export function HouseholdFields() {
  return (
    <Form.List name="household">
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <Row gutter={12} key={f.key} align="top">
              <Col xs={24} md={5}>
                <Form.Item
                  label={`成员${i + 1} 姓名`}
                  name={[f.name, 'name']}
                  rules={[{ required: true, message: '请输入姓名' }]}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24} md={7}>
                <Form.Item
                  label={`成员${i + 1} 身份证号码`}
                  name={[f.name, 'idNumber']}
                  validateTrigger={['onChange', 'onBlur', 'onSubmit']}
                  rules={idRules}
                >
                  <Input maxLength={18} autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={4}>
                <Form.Item
                  label={`成员${i + 1} 关系`}
                  name={[f.name, 'relationship']}
                  rules={[{ required: true, message: '请选择关系' }]}
                >
                  <RequiredSelect options={options(RELATIONSHIP_NAMES)} />
                </Form.Item>
              </Col>
              <Col xs={20} md={6}>
                <Form.Item
                  label={`成员${i + 1} 手机号码`}
                  name={[f.name, 'phone']}
                  rules={[{ pattern: /^1\d{10}$/, message: '手机号码应为11位数字' }]}
                >
                  <Input inputMode="tel" maxLength={11} />
                </Form.Item>
              </Col>
              <Col xs={4} md={2} style={{ paddingTop: 30 }}>
                {fields.length > 1 && (
                  <Button
                    aria-label={`删除成员${i + 1}`}
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(f.name)}
                  />
                )}
              </Col>
            </Row>
          ))}
          <Button
            icon={<PlusOutlined />}
            onClick={() => add({ relationship: 'spouse' })}
            style={{ marginBottom: 24 }}
          >
            添加家庭成员
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** 求助事项 (事项N 类别、困难情况、申请金额). */
export function NeedsFields() {
  return (
    <Form.List name="needs">
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <Row gutter={12} key={f.key} align="top">
              <Col xs={24} md={6}>
                <Form.Item
                  label={`事项${i + 1} 类别`}
                  name={[f.name, 'category']}
                  rules={[{ required: true, message: '请选择求助类别' }]}
                >
                  <RequiredSelect options={options(CATEGORY_NAMES)} placeholder="请选择" />
                </Form.Item>
              </Col>
              <Col xs={24} md={11}>
                <Form.Item
                  label={`事项${i + 1} 困难情况`}
                  name={[f.name, 'description']}
                  rules={[{ required: true, message: '请说明困难情况' }]}
                >
                  <Input.TextArea autoSize maxLength={500} />
                </Form.Item>
              </Col>
              <Col xs={20} md={5}>
                <Form.Item label={`事项${i + 1} 申请金额（元）`} name={[f.name, 'requestedAmount']}>
                  <InputNumber min={0} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={4} md={2} style={{ paddingTop: 30 }}>
                {fields.length > 1 && (
                  <Button
                    aria-label={`删除事项${i + 1}`}
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(f.name)}
                  />
                )}
              </Col>
            </Row>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 24 }}>
            添加求助事项
          </Button>
        </>
      )}
    </Form.List>
  );
}
