import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../session';

const MENUS: Record<string, { key: string; label: string }[]> = {
  township_officer: [
    { key: '/workbench/cases', label: '待办案件' },
    { key: '/workbench/cases/new', label: '登记求助' },
    { key: '/workbench/government/reports', label: '上报事项' },
  ],
  county_civil_affairs: [{ key: '/workbench/civil-affairs/temporary-assistance', label: '临时救助' }],
  health_officer: [{ key: '/workbench/health/referrals', label: '转办事项' }],
  government_liaison: [
    { key: '/workbench/government/reports', label: '上报事项' },
    { key: '/workbench/oversight/dashboard', label: '统计看板' },
  ],
  joint_meeting_viewer: [
    { key: '/workbench/oversight/dashboard', label: '联席会议看板' },
    { key: '/workbench/government/reports', label: '上报事项' },
  ],
  auditor: [
    { key: '/workbench/audit/cases', label: '案件追溯' },
    { key: '/workbench/oversight/dashboard', label: '统计看板' },
    { key: '/workbench/government/reports', label: '上报事项' },
  ],
};

export default function WorkbenchLayout() {
  const { session, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const user = session!.user;
  const items = [...(MENUS[user.role] ?? []), { key: '/progress', label: '办理进度查询' }];
  const selected = items
    .map((i) => i.key)
    .filter((k) => location.pathname === k || location.pathname.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24, background: '#1d3f73' }}
      >
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          社会救助协同平台
        </Typography.Text>
        <nav aria-label="主菜单" style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            style={{ background: 'transparent' }}
            selectedKeys={selected ? [selected] : []}
            items={items}
            onClick={(e) => navigate(e.key)}
          />
        </nav>
        <Space style={{ color: '#fff' }}>
          <span data-testid="current-user">
            {user.name}（{user.roleName}，{user.jurisdictionName}）
          </span>
          <Button size="small" onClick={() => navigate('/workbench/password')}>
            修改密码
          </Button>
          <Button
            size="small"
            onClick={() => {
              logout();
              navigate('/login');
            }}
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}
