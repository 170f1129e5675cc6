import DepartmentInboxPage from './DepartmentInboxPage';
import EducationForms from './EducationForms';

export default function EducationInboxPage() {
  return <DepartmentInboxPage department="education" forms={EducationForms} />;
}
