import { Card, Col, Flex, Row, Statistic, Typography } from 'antd';
import { isMessageKey, type Translate, useT } from '../../../lib/i18n';
import type { CampaignStats } from '../api/campaigns';

/** One count, named for the eye and for a screen reader. */
function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Col xs={12} sm={8} md={6}>
      <div role="status" aria-label={label}>
        <Statistic title={label} value={value} />
      </div>
    </Col>
  );
}

/** A reason a text was not sent or held, in words when the console knows it, else the API's code. */
function reasonLabel(t: Translate, reason: string): string {
  const key = `campaigns.reason.${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

function ByReason({ title, counts }: { title: string; counts: CampaignStats['suppressed'] }) {
  const t = useT();
  const reasons = Object.entries(counts.byReason).filter(([, n]) => n > 0);
  return (
    <Flex vertical gap={4}>
      <Typography.Text strong>
        {title}: {counts.total}
      </Typography.Text>
      {reasons.length === 0 ? (
        <Typography.Text type="secondary">—</Typography.Text>
      ) : (
        reasons.map(([reason, n]) => (
          <Typography.Text key={reason}>
            {reasonLabel(t, reason)}: {n}
          </Typography.Text>
        ))
      )}
    </Flex>
  );
}

/**
 * A campaign's outcomes over all its runs: texts queued, sent and delivered beside those held out,
 * not sent or held (by reason), and the opt-outs and complaints within 72 hours of a text.
 */
export function CampaignFigures({ stats }: { stats: CampaignStats }) {
  const t = useT();
  return (
    <Flex vertical gap={16}>
      <Card size="small" title={t('campaigns.funnel')}>
        <Row gutter={[16, 16]}>
          <Figure label={t('campaigns.targeted')} value={stats.targeted} />
          <Figure label={t('campaigns.sent')} value={stats.sent} />
          <Figure label={t('campaigns.delivered')} value={stats.delivered} />
          <Figure label={t('campaigns.failed')} value={stats.failed} />
          <Figure label={t('campaigns.heldOut')} value={stats.heldOut} />
          <Figure label={t('campaigns.serviceNotices')} value={stats.serviceNotices} />
          <Figure label={t('campaigns.segments')} value={stats.segments} />
          <Figure label={t('campaigns.suppressed')} value={stats.suppressed.total} />
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card size="small" title={t('campaigns.notSent')}>
            <Flex vertical gap={12}>
              <ByReason title={t('campaigns.suppressed')} counts={stats.suppressed} />
              <ByReason title={t('campaigns.held')} counts={stats.held} />
              <Typography.Text>
                {t('campaigns.released')}: {stats.released}
              </Typography.Text>
              <ByReason title={t('campaigns.expired')} counts={stats.expired} />
            </Flex>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={t('campaigns.responses')}>
            <Row gutter={[16, 16]}>
              <Figure label={t('campaigns.optOuts')} value={stats.optOuts} />
              <Figure label={t('campaigns.complaints')} value={stats.complaints} />
            </Row>
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
