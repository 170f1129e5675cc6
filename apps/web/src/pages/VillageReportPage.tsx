import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  ConfigProvider,
  Form,
  Input,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { useSession } from '../session';
import { READABLE } from './PublicParts';
import {
  HouseholdFields,
  householdAndNeeds,
  NeedsFields,
  showFieldErrors,
  type FormValues,
} from './OpenCasePage';

type ReportValues = Pick<FormValues, 'household' | 'needs' | 'urgency' | 'consentToShare'> & {
  onBehalfOf?: string;
};

/**
 * 上报困难家庭: the village committee reports a household it found in need. The case is opened in the
 * committee's own village (the only one it may open cases in) and goes to the township window to accept.
 */
export default function VillageReportPage() {
  const { session } = useSession();
  const user = session!.user;
  const [form] = Form.useForm<ReportValues>();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: ReportValues) => {
    setBusy(true);
    setError(null);
    try {
      const created = await api<{ caseNumber: string }>('POST', '/cases', {
        channel: 'proactive_discovery',
        villageCode: user.jurisdiction,
        urgency: v.urgency,
        consentToShare: v.consentToShare === true,
        ...(v.onBehalfOf?.trim() ? { onBehalfOf: v.onBehalfOf.trim() } : {}),
        ...householdAndNeeds(v),
      });
      message.success(`已上报，案件编号 ${created.caseNumber}，乡镇（街道）窗口将尽快受理`);
      navigate('/workbench/village/reported');
    } catch (e) {
      if (e instanceof ApiError) {
        const problems = e.fields.flatMap((f) => f.problems);
        setError(problems.length ? `上报未成功：${problems.join('；')}` : e.message);
        showFieldErrors(form, e);
      } else setError('上报失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfigProvider theme={READABLE}>
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            上报困难家庭
          </Typography.Title>
        }
      >
        <Typography.Paragraph style={{ color: '#444' }}>
          本村（社区）发现的困难家庭，在此登记后报送所属乡镇（街道）窗口受理，再由窗口转有关部门办理。上报后可在“我上报的”中查看办理进度。
        </Typography.Paragraph>
        {error && (
          <Alert
            data-testid="server-error"
            type="error"
            showIcon
            role="alert"
            message={error}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<ReportValues>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={{
            urgency: 'normal',
            household: [{ relationship: 'applicant' }],
            needs: [{}],
            consentToShare: false,
          }}
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item label="所在村（社区）">
                <Input value={user.jurisdictionName} readOnly aria-label="所在村（社区）" />
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
            <Col xs={24} md={8}>
              <Form.Item
                label="代为申请的对象（可不填）"
                name="onBehalfOf"
                extra="本人无法申请、由村（居）委会代办时填写其姓名"
              >
                <Input maxLength={50} />
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
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              提交上报
            </Button>
            <Button onClick={() => navigate('/workbench/village/reported')}>取消</Button>
          </Space>
        </Form>
      </Card>
    </ConfigProvider>
  );
}
