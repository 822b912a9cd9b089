import { Alert } from 'antd';
import { ApiError, isConnectionLost } from '../lib/errors';
import { useT } from '../lib/i18n';

/** Why a request failed, in the API's own words, or "connection lost" when it never arrived. */
export function ApiProblem({ title, error }: { title: string; error: unknown }) {
  const t = useT();
  const description = isConnectionLost(error)
    ? `${t('error.connectionLost')}: ${t('error.connectionLostHint')}`
    : error instanceof ApiError
      ? error.message
      : t('error.unexpectedHint');
  return <Alert type="error" showIcon title={title} description={description} />;
}
