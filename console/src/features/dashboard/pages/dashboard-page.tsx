import { NotBuilt } from '../../../components/not-built';
import { useT } from '../../../lib/i18n';

export function DashboardPage() {
  const t = useT();
  return <NotBuilt title={t('menu.dashboard')} />;
}
