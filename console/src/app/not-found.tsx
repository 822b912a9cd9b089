import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useT } from '../lib/i18n';

/** An address the console has no page for: says so, with a way back. */
export function NotFound() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('page.notFound')}
      subTitle={t('page.notFoundHint')}
      extra={
        <Link to="/">
          <Button type="primary">{t('page.backHome')}</Button>
        </Link>
      }
    />
  );
}
