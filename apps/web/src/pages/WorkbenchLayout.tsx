import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../session';

const MENUS: Record<string, { key: string; label: string }[]> = {
  township_officer: [
    { key: '/workbench/cases', label: '待办案件' },
    { key: '/workbench/cases/new', label: '登记求助' },
    { key: '/workbench/government/reports', label: '上报事项' },
    { key: '/workbench/civil-affairs/verifications', label: '家庭经济状况核对' },
    { key: '/workbench/civil-affairs/dibao', label: '低保特困审核' },
    { key: '/workbench/civil-affairs/staff-filings', label: '人员备案' },
  ],
  county_civil_affairs: [
    { key: '/workbench/civil-affairs/dibao', label: '低保特困审核' },
    { key: '/workbench/civil-affairs/temporary-assistance', label: '临时救助' },
    { key: '/workbench/civil-affairs/verifications', label: '家庭经济状况核对' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
    { key: '/workbench/civil-affairs/social-forces', label: '社会力量' },
    { key: '/workbench/civil-affairs/staff-filings', label: '人员备案' },
  ],
  health_officer: [
    { key: '/workbench/health/referrals', label: '转办事项' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
    { key: '/workbench/health/medical-assistance', label: '医疗救助结算' },
    { key: '/workbench/health/disease-emergency', label: '疾病应急救助' },
    { key: '/workbench/health/register', label: '医疗救助台账' },
  ],
  village_verifier: [
    { key: '/workbench/village/reported', label: '我上报的' },
    { key: '/workbench/village/report', label: '上报困难家庭' },
    { key: '/workbench/civil-affairs/dibao', label: '低保特困审核' },
  ],
  housing_officer: [
    { key: '/workbench/housing/referrals', label: '转办事项' },
    { key: '/workbench/housing/renovations', label: '农村危房改造' },
    { key: '/workbench/housing/rental-subsidies', label: '租赁补贴' },
    { key: '/workbench/housing/public-rental', label: '公租房轮候' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
  ],
  education_officer: [
    { key: '/workbench/education/referrals', label: '转办事项' },
    { key: '/workbench/education/students', label: '学生资助' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
  ],
  government_liaison: [
    { key: '/workbench/government/reports', label: '上报事项' },
    { key: '/workbench/oversight/dashboard', label: '统计看板' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
    { key: '/workbench/civil-affairs/social-forces', label: '社会力量' },
  ],
  joint_meeting_viewer: [
    { key: '/workbench/oversight/dashboard', label: '联席会议看板' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
    { key: '/workbench/government/reports', label: '上报事项' },
    { key: '/workbench/civil-affairs/social-forces', label: '社会力量' },
  ],
  admin: [
    { key: '/workbench/admin/users', label: '用户管理' },
    { key: '/workbench/admin/policy', label: '政策参数' },
    { key: '/workbench/admin/jurisdictions', label: '行政区划' },
    { key: '/workbench/admin/notifications', label: '通知发送' },
    { key: '/workbench/civil-affairs/staff-filings', label: '人员备案' },
    { key: '/workbench/audit/erasures', label: '删除记录' },
  ],
  auditor: [
    { key: '/workbench/audit/cases', label: '案件追溯' },
    { key: '/workbench/audit/diff', label: '差异比对' },
    { key: '/workbench/audit/access', label: '访问记录' },
    { key: '/workbench/audit/integrity', label: '完整性校验' },
    { key: '/workbench/audit/erasures', label: '删除记录' },
    { key: '/workbench/oversight/dashboard', label: '统计看板' },
    { key: '/workbench/government/reports', label: '上报事项' },
    { key: '/workbench/civil-affairs/coordination', label: '一事一议' },
    { key: '/workbench/civil-affairs/social-forces', label: '社会力量' },
    { key: '/workbench/civil-affairs/staff-filings', label: '人员备案' },
    { key: '/workbench/health/medical-assistance', label: '医疗救助结算' },
    { key: '/workbench/health/disease-emergency', label: '疾病应急救助' },
    { key: '/workbench/health/register', label: '医疗救助台账' },
    { key: '/workbench/housing/renovations', label: '农村危房改造' },
    { key: '/workbench/housing/rental-subsidies', label: '租赁补贴' },
    { key: '/workbench/housing/public-rental', label: '公租房轮候' },
    { key: '/workbench/education/students', label: '学生资助' },
  ],
  social_worker: [{ key: '/workbench/civil-affairs/social-forces', label: '社会力量服务' }],
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

  // The menu runs down the left: a role has up to seven screens, more than a header line holds beside the
  // officer's name (it folded the last ones into "…").
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24, background: '#1d3f73' }}
      >
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap', flex: 1 }}>
          社会救助协同平台
        </Typography.Text>
        <Space style={{ color: '#fff' }} wrap>
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
      <Layout hasSider>
        <Layout.Sider width={184} breakpoint="lg" collapsedWidth={0} theme="light">
          <nav aria-label="主菜单">
            <Menu
              mode="inline"
              style={{ borderInlineEnd: 0, paddingTop: 8 }}
              selectedKeys={selected ? [selected] : []}
              items={items}
              onClick={(e) => navigate(e.key)}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
