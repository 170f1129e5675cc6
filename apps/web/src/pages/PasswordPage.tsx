import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { homeOf, useSession } from '../session';

/** 修改密码: required on first login and after a reset (POST /auth/password issues a new token). */
export default function PasswordPage() {
  const { session, adopt } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { oldPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { accessToken, refreshToken } = await api<{ accessToken: string; refreshToken?: string }>(
        'POST',
        '/auth/password',
        { oldPassword: v.oldPassword, newPassword: v.newPassword },
      );
      const s = await adopt(accessToken, refreshToken ?? null);
      message.success('密码已修改');
      navigate(homeOf(s.user.role), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '修改失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 440 }}>
      <Typography.Title level={1} style={{ fontSize: 20 }}>
        修改密码
      </Typography.Title>
      {session?.user.mustChangePassword && (
        <Alert
          type="warning"
          showIcon
          message="首次登录或密码已被重置，请先设置新密码"
          style={{ marginBottom: 16 }}
        />
      )}
      {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item label="原密码" name="oldPassword" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="newPassword"
          extra="至少10个字符，含大写字母、小写字母、数字、符号中的三类，不含用户名"
          rules={[{ required: true, min: 10, message: '新密码至少10个字符' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_, value) => {
                if (value && value !== getFieldValue('newPassword'))
                  throw new Error('两次输入的新密码不一致');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          修改密码
        </Button>
      </Form>
    </Card>
  );
}
