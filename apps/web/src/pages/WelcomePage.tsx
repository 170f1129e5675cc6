import { Result } from 'antd';
import { useSession } from '../session';

export default function WelcomePage() {
  const { session } = useSession();
  return (
    <Result
      status="info"
      title={`欢迎，${session?.user.name ?? ''}`}
      subTitle={`${session?.user.roleName ?? ''}的工作台正在建设中，目前可使用接口文档（/docs）办理业务。`}
    />
  );
}
