import { Result } from 'antd';
import { useT } from '../lib/i18n';

/** A page whose place in the console is settled but whose content is still to come. */
export function NotBuilt({ title }: { title: string }) {
  const t = useT();
  return <Result status="info" title={title} subTitle={t('page.notBuilt')} />;
}
