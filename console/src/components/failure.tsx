import { Button, Result } from 'antd';
import { isConnectionLost } from '../lib/errors';
import { useT } from '../lib/i18n';

/**
 * What shows instead of a page that failed: "connection lost" with a retry when the network is to
 * blame, otherwise an apology with the error's message and a reload. Never an empty screen.
 */
export function Failure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useT();
  if (isConnectionLost(error)) {
    return (
      <Result
        status="warning"
        title={t('error.connectionLost')}
        subTitle={t('error.connectionLostHint')}
        extra={
          <Button type="primary" onClick={onRetry}>
            {t('error.retry')}
          </Button>
        }
      />
    );
  }
  return (
    <Result
      status="error"
      title={t('error.unexpected')}
      subTitle={`${t('error.unexpectedHint')} (${error instanceof Error ? error.message : String(error)})`}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('error.reload')}
        </Button>
      }
    />
  );
}
