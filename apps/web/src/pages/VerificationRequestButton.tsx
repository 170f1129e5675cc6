import { Alert, App, Button, Checkbox, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { beijingToday, label, RELATIONSHIP_NAMES } from '../labels';

interface Member {
  name: string;
  idNumber: string;
  relationship: string;
}

/**
 * 发起家庭经济状况核对 from a case: the household and its village come from the case; the officer gives the
 * signed authorisation (no authorisation, no verification) and picks the members who signed it.
 */
export default function VerificationRequestButton({
  villageCode,
  household,
}: {
  villageCode: string;
  household: Member[];
}) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ members: string[]; reference: string; signedOn: string }>();

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/civil-affairs/verifications', {
        villageCode,
        members: household
          .filter((m) => v.members.includes(m.idNumber))
          .map(({ name, idNumber, relationship }) => ({ name, idNumber, relationship })),
        authorisation: { reference: v.reference, signedOn: v.signedOn },
      });
      message.success('已发起核对，各部门将在规定期限内回复');
      setOpen(false);
      navigate('/workbench/civil-affairs/verifications');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '发起失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        onClick={() => {
          form.setFieldsValue({
            members: household.map((m) => m.idNumber),
            reference: '',
            signedOn: beijingToday(),
          });
          setError(null);
          setOpen(true);
        }}
      >
        发起家庭经济状况核对
      </Button>
      <Modal
        open={open}
        title="发起家庭经济状况核对"
        okText="确认发起"
        cancelText="取消"
        okButtonProps={{ loading: busy }}
        onOk={submit}
        onCancel={() => setOpen(false)}
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical">
          <Form.Item
            name="members"
            label="核对对象（在授权书上签字的家庭成员）"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一名家庭成员' }]}
          >
            <Checkbox.Group
              options={household.map((m) => ({
                value: m.idNumber,
                label: `${m.name}（${label(RELATIONSHIP_NAMES, m.relationship)}）`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="reference"
            label="核对授权书编号"
            rules={[
              {
                required: true,
                whitespace: true,
                message: '没有家庭成员签署的授权书不得核对：请填写授权书编号',
              },
            ]}
          >
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item
            name="signedOn"
            label="授权书签署日期"
            rules={[{ required: true, message: '请填写签署日期' }]}
          >
            <Input type="date" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
