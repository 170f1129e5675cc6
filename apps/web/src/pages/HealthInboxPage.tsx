import DepartmentInboxPage from './DepartmentInboxPage';
import DepartmentHealthForms from './DepartmentHealthForms';

export default function HealthInboxPage() {
  return <DepartmentInboxPage department="health" forms={DepartmentHealthForms} />;
}
