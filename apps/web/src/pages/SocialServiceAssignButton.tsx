import { App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, type Page } from '../api';
import { useSubmit } from '../hooks';
import { FormDialog } from '../ui';
import { chosen } from '../labels';
import { SERVICE_OPTIONS, type ProjectRow, type ProviderRow } from './SocialForcesPage';

interface AssignForm {
  service: string;
  providerId: string;
  description: string;
  consentGiven: boolean;
  signedBy: string;
  recordedOn: Dayjs;
  projectId?: string;
  cost?: number;
}

const BASE = '/civil-affairs/social-forces';

/**
 * 派单社会力量: county civil affairs asks a registered provider to serve the household (生活照料, 心理疏导,
 * 资源链接, 能力提升), with the consent the household signed; a service may be charged to a purchased-service
 * project of that provider.
 */
export function SocialServiceAssignButton(props: {
  caseId: string;
  caseNumber: string;
  villageCode: string;
  householdName: string;
}) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const submit = useSubmit();
  const [form] = Form.useForm<AssignForm>();
  const [providers, setProviders] = useState<ProviderRow[]>([]);
  const [projects, setProjects] = useState<ProjectRow[]>([]);
  const service = Form.useWatch('service', form);
  const providerId = Form.useWatch('providerId', form);
  const projectId = Form.useWatch('projectId', form);

  useEffect(() => {
    if (!open) return;
    void api<Page<ProviderRow>>('GET', `${BASE}/providers?pageSize=100`).then((d) => setProviders(d.items));
    void api<Page<ProjectRow>>('GET', `${BASE}/projects?pageSize=100`).then((d) => setProjects(d.items));
  }, [open]);

  const send = async (v: AssignForm) => {
    const done = await submit.run(() =>
      api('POST', `${BASE}/services`, {
        caseId: props.caseId,
        caseNumber: props.caseNumber,
        householdName: props.householdName,
        villageCode: props.villageCode,
        service: v.service,
        providerId: v.providerId,
        description: v.description.trim(),
        consent: {
          given: v.consentGiven === true,
          signedBy: v.signedBy.trim(),
          recordedOn: v.recordedOn.format('YYYY-MM-DD'),
        },
        ...(v.projectId ? { projectId: v.projectId, cost: v.cost } : {}),
      }),
    );
    if (done === undefined) return;
    message.success('已派单，服务方可登记走访');
    setOpen(false);
    navigate('/workbench/civil-affairs/social-forces?tab=services');
  };

  return (
    <>
      <Button
        onClick={() => {
          form.resetFields();
          form.setFieldsValue({ signedBy: props.householdName, recordedOn: dayjs() });
          submit.setError(null);
          setOpen(true);
        }}
      >
        派单社会力量
      </Button>
      <FormDialog
        title="派单社会力量"
        open={open}
        onClose={() => setOpen(false)}
        form={form}
        okText="派单"
        busy={submit.busy}
        error={submit.error}
      >
        <Form<AssignForm>
          name="social-service-assign"
          form={form}
          layout="vertical"
          onFinish={(v) => void send(v)}
        >
          <Form.Item name="service" label="服务" rules={[{ validator: chosen('请选择服务') }]}>
            <Select
              options={SERVICE_OPTIONS}
              onChange={() => form.setFieldsValue({ providerId: undefined })}
            />
          </Form.Item>
          <Form.Item
            name="providerId"
            label="服务方"
            rules={[{ validator: chosen('请选择服务方') }]}
            extra={
              <span style={{ color: '#595959' }}>在本旗县区登记、提供所选服务且未停止派单的社会力量</span>
            }
          >
            <Select
              options={providers
                .filter((p) => p.active && (!service || p.services.includes(service)))
                .map((p) => ({ value: p.providerId, label: `${p.name}（${p.kindName}）` }))}
              onChange={() => form.setFieldsValue({ projectId: undefined })}
            />
          </Form.Item>
          <Form.Item
            name="description"
            label="服务需求说明"
            rules={[{ required: true, whitespace: true, message: '请填写服务需求说明' }]}
          >
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
          <Form.Item
            name="consentGiven"
            valuePropName="checked"
            rules={[{ validator: chosen('须有家庭签署的同意书才能派单') }]}
          >
            <Checkbox>家庭已签署同意书（同意接受服务并向服务方提供家庭信息）</Checkbox>
          </Form.Item>
          <Form.Item
            name="signedBy"
            label="签署人"
            rules={[{ required: true, whitespace: true, message: '请填写签署人' }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="recordedOn"
            label="签署日期"
            rules={[{ required: true, message: '请选择签署日期' }]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="projectId" label="列入政府购买服务项目（可不选）">
            <Select
              allowClear
              options={projects
                .filter((p) => p.providerId === providerId)
                .map((p) => ({ value: p.projectId, label: `${p.name}（剩余 ${p.remaining} 元）` }))}
            />
          </Form.Item>
          {projectId && (
            <Form.Item
              name="cost"
              label="服务费用（元）"
              rules={[{ required: true, message: '列入项目须填写服务费用' }]}
            >
              <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          )}
        </Form>
      </FormDialog>
    </>
  );
}
