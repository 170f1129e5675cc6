import { App, Button, Checkbox, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, apiErrorText } from '../api';
import { FormDialog } from '../ui';
import { chosen, COORDINATION_DEPARTMENTS, DEPARTMENT_NAMES } from '../labels';

/**
 * 一事一议立项 for a household whose need no single department can meet: county civil affairs names the
 * need and the departments asked to take part; the item then waits on 一事一议 for its joint meeting.
 */
export function CoordinationOpenButton(props: { caseId: string; caseNumber: string; villageCode: string }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ need: string; departments: string[] }>();
  const submit = async (v: { need: string; departments: string[] }) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/civil-affairs/coordination', {
        caseId: props.caseId,
        caseNumber: props.caseNumber,
        villageCode: props.villageCode,
        need: v.need.trim(),
        departments: v.departments,
      });
      message.success('已立项，等待联席会议研究');
      setOpen(false);
      navigate('/workbench/civil-affairs/coordination');
    } catch (e) {
      setError(apiErrorText(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        onClick={() => {
          form.resetFields();
          setError(null);
          setOpen(true);
        }}
      >
        一事一议立项
      </Button>
      <FormDialog
        title="一事一议立项"
        open={open}
        onClose={() => setOpen(false)}
        form={form}
        okText="立项"
        busy={busy}
        error={error}
      >
        <Typography.Paragraph>
          案件 {props.caseNumber}：单靠一个部门解决不了的困难，提请联席会议研究。
        </Typography.Paragraph>
        <Form
          name="coordination-open"
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            name="need"
            label="需要协调解决的事项"
            rules={[{ required: true, whitespace: true, message: '请填写需要协调解决的事项' }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item
            name="departments"
            label="请求参与的部门"
            rules={[{ validator: chosen('请选择参与部门') }]}
          >
            <Checkbox.Group
              options={COORDINATION_DEPARTMENTS.map((d) => ({ value: d, label: DEPARTMENT_NAMES[d] }))}
            />
          </Form.Item>
        </Form>
      </FormDialog>
    </>
  );
}
