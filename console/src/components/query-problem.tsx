import { Button, Result } from 'antd';
import { ApiError } from '../lib/errors';
import { useT } from '../lib/i18n';
import { Failure } from './failure';

/**
 * In place of what a query could not load: the API's own reason when it refused, "connection lost"
 * when it never answered; a retry either way, never an empty space.
 */
export function QueryProblem({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: unknown;
  onRetry: () => void;
}) {
  const t = useT();
  if (!(error instanceof ApiError)) return <Failure error={error} onRetry={onRetry} />;
  return (
    <Result
      status={error.status === 404 ? '404' : 'warning'}
      title={title}
      subTitle={error.message}
      extra={<Button onClick={onRetry}>{t('error.retry')}</Button>}
    />
  );
}
