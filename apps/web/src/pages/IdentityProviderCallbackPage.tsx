import { Alert, Button, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, api, endSession } from '../api';
import { callbackUrl, readIdentityProviderCallback } from '../idp';
import { homeOf, useSession } from '../session';
import LoginFrame from './LoginFrame';

/** /login/idp: the identity provider sent the browser back here; the platform redeems the code. */
export default function IdentityProviderCallbackPage() {
  const { adopt } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  // The code is good once: React's development double effect must not send it twice.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const callback = readIdentityProviderCallback(window.location.search);
    // The code leaves the address bar (and the history) at once.
    window.history.replaceState(null, '', '/login/idp');
    if (!callback.ok) {
      setError(callback.message);
      return;
    }
    // Whoever was signed in on this tab before is signed out: the new identity replaces theirs.
    endSession();
    api<{ accessToken: string }>('POST', '/auth/idp/token', {
      code: callback.code,
      codeVerifier: callback.verifier,
      redirectUri: callbackUrl(),
    })
      .then(({ accessToken }) => adopt(accessToken, null))
      .then((s) => navigate(callback.from ?? homeOf(s.user.role), { replace: true }))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '登录失败，请稍后重试'));
  }, [adopt, navigate]);

  return (
    <LoginFrame width={420}>
      {error ? (
        <>
          <Alert type="error" showIcon message="统一身份认证登录未成功" description={error} role="alert" />
          <Button
            type="primary"
            block
            style={{ marginTop: 16 }}
            onClick={() => navigate('/login', { replace: true })}
          >
            返回登录页
          </Button>
        </>
      ) : (
        <div role="status" style={{ padding: 24, textAlign: 'center' }}>
          <Spin tip="正在完成统一身份认证登录…">
            <div style={{ height: 48 }} />
          </Spin>
        </div>
      )}
    </LoginFrame>
  );
}
