import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { homeOf, useSession } from './session';

// Each screen is its own chunk: the public progress page never loads the workbench.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const ProgressPage = lazy(() => import('./pages/ProgressPage'));
const WorkbenchLayout = lazy(() => import('./pages/WorkbenchLayout'));
const CaseQueuePage = lazy(() => import('./pages/CaseQueuePage'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage'));
const OpenCasePage = lazy(() => import('./pages/OpenCasePage'));
const HealthInboxPage = lazy(() => import('./pages/HealthInboxPage'));
const GovernmentReportsPage = lazy(() => import('./pages/GovernmentReportsPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const AuditTracePage = lazy(() => import('./pages/AuditTracePage'));
const TemporaryAssistancePage = lazy(() => import('./pages/TemporaryAssistancePage'));
const WelcomePage = lazy(() => import('./pages/WelcomePage'));
const PasswordPage = lazy(() => import('./pages/PasswordPage'));

const loading = (
  <div role="status" style={{ padding: 48, textAlign: 'center' }}>
    <Spin tip="正在加载…">
      <div style={{ height: 48 }} />
    </Spin>
  </div>
);

function RequireLogin({ children }: { children: ReactNode }) {
  const { session, loading: checking } = useSession();
  const location = useLocation();
  if (checking) return loading;
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (session.user.mustChangePassword && location.pathname !== '/workbench/password')
    return <Navigate to="/workbench/password" replace />;
  return <>{children}</>;
}

function Home() {
  const { session, loading: checking } = useSession();
  if (checking) return loading;
  return (
    <Navigate to={session ? homeOf(session.user.role, session.user.mustChangePassword) : '/login'} replace />
  );
}

export function AppRoutes() {
  return (
    <Suspense fallback={loading}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/progress" element={<ProgressPage />} />
        <Route
          path="/workbench"
          element={
            <RequireLogin>
              <WorkbenchLayout />
            </RequireLogin>
          }
        >
          <Route index element={<WelcomePage />} />
          <Route path="cases" element={<CaseQueuePage />} />
          <Route path="cases/new" element={<OpenCasePage />} />
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route path="health/referrals" element={<HealthInboxPage />} />
          <Route path="government/reports" element={<GovernmentReportsPage />} />
          <Route path="oversight/dashboard" element={<DashboardPage />} />
          <Route path="audit/cases" element={<AuditTracePage />} />
          <Route path="civil-affairs/temporary-assistance" element={<TemporaryAssistancePage />} />
          <Route path="password" element={<PasswordPage />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
