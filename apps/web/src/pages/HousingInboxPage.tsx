import DepartmentInboxPage from './DepartmentInboxPage';
import HousingForms from './HousingForms';

export default function HousingInboxPage() {
  return <DepartmentInboxPage department="housing" forms={HousingForms} />;
}
