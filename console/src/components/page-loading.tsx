import { Flex, Spin } from 'antd';
import { useT } from '../lib/i18n';

/** While a page's code or first data loads. */
export function PageLoading() {
  const t = useT();
  return (
    <Flex justify="center" style={{ padding: 48 }} role="status" aria-label={t('page.loading')}>
      <Spin size="large" />
    </Flex>
  );
}
