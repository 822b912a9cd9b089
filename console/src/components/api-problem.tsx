import { Alert } from 'antd';
import { ApiError, isConnectionLost } from '../lib/errors';
import { type Translate, useT } from '../lib/i18n';

/**
 * Why a request failed, in a few words: the API's own, "connection lost" when it never arrived (with
 * what to do about it, when `withHint`), or that something unexpected happened.
 */
export function problemReason(error: unknown, t: Translate, withHint = false): string {
  if (isConnectionLost(error)) {
    return withHint
      ? `${t('error.connectionLost')}: ${t('error.connectionLostHint')}`
      : t('error.connectionLost');
  }
  return error instanceof ApiError ? error.message : t('error.unexpectedHint');
}

/** Why a request failed, in the API's own words, or "connection lost" when it never arrived. */
export function ApiProblem({ title, error }: { title: string; error: unknown }) {
  const t = useT();
  return <Alert type="error" showIcon title={title} description={problemReason(error, t, true)} />;
}
