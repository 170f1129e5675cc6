import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api';

/**
 * 重新生成查询码 (township window): when the applicant lost the acceptance notice, or five wrong codes
 * paused the public lookup of the case number. The old code stops working; the notice is printed again.
 */
export default function QueryCodeReissueButton<T extends { queryCode: string | null }>({
  caseId,
  onReissued,
}: {
  caseId: string;
  onReissued: (updated: T) => void;
}) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const updated = await api<T>('POST', `/cases/${caseId}/query-code`, { reason: v.reason });
      onReissued(updated);
      message.success(`新查询码 ${updated.queryCode}，旧码已作废：请重新打印受理通知书交申请人`);
      setOpen(false);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '重新生成失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        type="link"
        size="small"
        onClick={() => {
          form.resetFields();
          setError(null);
          setOpen(true);
        }}
      >
        重新生成
      </Button>
      <Modal
        open={open}
        title="重新生成查询码"
        okText="确认重新生成"
        cancelText="取消"
        okButtonProps={{ loading: busy }}
        onOk={submit}
        onCancel={() => setOpen(false)}
        destroyOnClose
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message="旧查询码将作废；因连续输错而暂停的公众查询随之恢复。"
        />
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label="原因"
            rules={[{ required: true, whitespace: true, message: '请说明重新生成的原因' }]}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder="如：申请人遗失受理通知书" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
