import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { homeOf, useSession } from './session';

// Each screen is its own chunk: the public progress page never loads the workbench.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const IdentityProviderCallbackPage = lazy(() => import('./pages/IdentityProviderCallbackPage'));
const ProgressPage = lazy(() => import('./pages/ProgressPage'));
const WorkbenchLayout = lazy(() => import('./pages/WorkbenchLayout'));
const CaseQueuePage = lazy(() => import('./pages/CaseQueuePage'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage'));
const OpenCasePage = lazy(() => import('./pages/OpenCasePage'));
const HealthInboxPage = lazy(() => import('./pages/HealthInboxPage'));
const HousingInboxPage = lazy(() => import('./pages/HousingInboxPage'));
const EducationInboxPage = lazy(() => import('./pages/EducationInboxPage'));
const VerificationPage = lazy(() => import('./pages/VerificationPage'));
const GovernmentReportsPage = lazy(() => import('./pages/GovernmentReportsPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const AuditTracePage = lazy(() => import('./pages/AuditTracePage'));
const TemporaryAssistancePage = lazy(() => import('./pages/TemporaryAssistancePage'));
const CoordinationPage = lazy(() => import('./pages/CoordinationPage'));
const SocialForcesPage = lazy(() => import('./pages/SocialForcesPage'));
const StaffFilingPage = lazy(() => import('./pages/StaffFilingPage'));
const DiseaseEmergencyPage = lazy(() => import('./pages/DiseaseEmergencyPage'));
const HealthRegisterPage = lazy(() => import('./pages/HealthRegisterPage'));
const RenovationsPage = lazy(() => import('./pages/RenovationsPage'));
const RentalSubsidiesPage = lazy(() => import('./pages/RentalSubsidiesPage'));
const PublicRentalPage = lazy(() => import('./pages/PublicRentalPage'));
const StudentsPage = lazy(() => import('./pages/StudentsPage'));
const MedicalAssistancePage = lazy(() => import('./pages/MedicalAssistancePage'));
const DibaoListPage = lazy(() => import('./pages/DibaoListPage'));
const DibaoApplicationPage = lazy(() => import('./pages/DibaoApplicationPage'));
const WelcomePage = lazy(() => import('./pages/WelcomePage'));
const PasswordPage = lazy(() => import('./pages/PasswordPage'));
const AuditIntegrityPage = lazy(() => import('./pages/AuditIntegrityPage'));
const AuditAccessPage = lazy(() => import('./pages/AuditAccessPage'));
const AuditDiffPage = lazy(() => import('./pages/AuditDiffPage'));
const AuditErasuresPage = lazy(() => import('./pages/AuditErasuresPage'));
const AdminUsersPage = lazy(() => import('./pages/AdminUsersPage'));
const AdminPolicyPage = lazy(() => import('./pages/AdminPolicyPage'));
const AdminJurisdictionsPage = lazy(() => import('./pages/AdminJurisdictionsPage'));
const AdminNotificationsPage = lazy(() => import('./pages/AdminNotificationsPage'));
const PublicNoticesPage = lazy(() => import('./pages/PublicNoticesPage'));
const PublicRecipientsPage = lazy(() => import('./pages/PublicRecipientsPage'));
const VillageReportPage = lazy(() => import('./pages/VillageReportPage'));
const VillageReportedPage = lazy(() => import('./pages/VillageReportedPage'));

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
        <Route path="/login/idp" element={<IdentityProviderCallbackPage />} />
        <Route path="/progress" element={<ProgressPage />} />
        <Route path="/notices" element={<PublicNoticesPage />} />
        <Route path="/notices/recipients" element={<PublicRecipientsPage />} />
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
          <Route path="health/disease-emergency" element={<DiseaseEmergencyPage />} />
          <Route path="health/register" element={<HealthRegisterPage />} />
          <Route path="health/medical-assistance" element={<MedicalAssistancePage />} />
          <Route path="housing/renovations" element={<RenovationsPage />} />
          <Route path="housing/rental-subsidies" element={<RentalSubsidiesPage />} />
          <Route path="housing/public-rental" element={<PublicRentalPage />} />
          <Route path="education/students" element={<StudentsPage />} />
          <Route path="housing/referrals" element={<HousingInboxPage />} />
          <Route path="education/referrals" element={<EducationInboxPage />} />
          <Route path="civil-affairs/verifications" element={<VerificationPage />} />
          <Route path="government/reports" element={<GovernmentReportsPage />} />
          <Route path="oversight/dashboard" element={<DashboardPage />} />
          <Route path="audit/cases" element={<AuditTracePage />} />
          <Route path="audit/integrity" element={<AuditIntegrityPage />} />
          <Route path="audit/access" element={<AuditAccessPage />} />
          <Route path="audit/diff" element={<AuditDiffPage />} />
          <Route path="audit/erasures" element={<AuditErasuresPage />} />
          <Route path="admin/users" element={<AdminUsersPage />} />
          <Route path="admin/policy" element={<AdminPolicyPage />} />
          <Route path="admin/jurisdictions" element={<AdminJurisdictionsPage />} />
          <Route path="admin/notifications" element={<AdminNotificationsPage />} />
          <Route path="civil-affairs/temporary-assistance" element={<TemporaryAssistancePage />} />
          <Route path="civil-affairs/coordination" element={<CoordinationPage />} />
          <Route path="civil-affairs/social-forces" element={<SocialForcesPage />} />
          <Route path="civil-affairs/staff-filings" element={<StaffFilingPage />} />
          <Route path="civil-affairs/dibao" element={<DibaoListPage />} />
          <Route path="civil-affairs/dibao/:id" element={<DibaoApplicationPage />} />
          <Route path="password" element={<PasswordPage />} />
          <Route path="village/report" element={<VillageReportPage />} />
          <Route path="village/reported" element={<VillageReportedPage />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
