import { Card, Flex, Typography } from 'antd';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useLoyaltySettings } from '../api/loyalty-settings';
import { useSendingSettings } from '../api/sending-settings';
import { LoyaltyForm } from '../components/loyalty-form';
import { SendingForm } from '../components/sending-form';

/** The shop's settings: loyalty (rate, expiry, tiers) and sending (window, caps, rate, price). */
export function SettingsPage() {
  const t = useT();
  const loyalty = useLoyaltySettings();
  const sending = useSendingSettings();
  const failed = loyalty.error ?? sending.error;
  if (failed) {
    const retry = () => Promise.all([loyalty.refetch(), sending.refetch()]);
    return <QueryProblem title={t('settings.loadFailed')} error={failed} onRetry={retry} />;
  }
  if (!loyalty.data || !sending.data) return <PageLoading />;
  return (
    <Flex vertical gap={16} style={{ maxWidth: 760 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.settings')}
      </Typography.Title>
      <Card title={t('settings.loyalty')} size="small">
        <LoyaltyForm settings={loyalty.data} />
      </Card>
      <Card title={t('settings.sending')} size="small">
        <SendingForm settings={sending.data} />
      </Card>
    </Flex>
  );
}
