import { Alert, Button, Divider, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../api';
import { startIdentityProviderSignIn, type IdentityProvider } from '../idp';
import { homeOf, useSession } from '../session';
import LoginFrame from './LoginFrame';

export default function LoginPage() {
  const { login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [provider, setProvider] = useState<IdentityProvider | null>(null);
  const [leaving, setLeaving] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  useEffect(() => {
    api<{ identityProvider: IdentityProvider | null }>('GET', '/auth/providers')
      .then((r) => setProvider(r.identityProvider))
      .catch(() => setProvider(null)); // the password form still works
  }, []);

  const signInWithProvider = () => {
    if (!provider) return;
    setLeaving(true);
    startIdentityProviderSignIn(provider, from).catch(() => {
      setLeaving(false);
      setError('无法跳转到统一身份认证，请稍后重试');
    });
  };

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const s = await login(v.username.trim(), v.password);
      navigate(s.user.mustChangePassword ? homeOf(s.user.role, true) : (from ?? homeOf(s.user.role)), {
        replace: true,
      });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <LoginFrame width={380}>
      <Typography.Paragraph style={{ textAlign: 'center', color: '#555' }}>工作人员登录</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form>
      {provider && (
        <>
          <Divider plain>或</Divider>
          <Button block onClick={signInWithProvider} loading={leaving}>
            使用{provider.name}登录
          </Button>
        </>
      )}
      <Typography.Paragraph style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/progress">群众办理进度查询</Link>
        <span aria-hidden style={{ margin: '0 8px', color: '#bbb' }}>
          |
        </span>
        <Link to="/notices">低保、特困供养公示</Link>
      </Typography.Paragraph>
    </LoginFrame>
  );
}
