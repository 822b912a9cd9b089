import { Card, Flex, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { useT } from '../../../lib/i18n';
import { useBenefitName } from '../api/get-benefits';
import { useClaims } from '../api/get-claims';
import { RedeemCouponButton } from './redeem-coupon-button';

/**
 * At the counter, the coupons the member can use now, each with its redeem button: shown only when
 * there is one, so a customer with none goes straight from their balance to the purchase.
 */
export function CounterCoupons({ phone }: { phone: string }) {
  const t = useT();
  const claims = useClaims(phone);
  const benefitName = useBenefitName();
  const usable = (claims.data ?? []).filter((claim) => claim.state === 'active' && claim.couponCode);
  if (usable.length === 0) return null;
  return (
    <Card title={t('counter.coupons')}>
      <List
        dataSource={usable}
        rowKey="claimId"
        renderItem={(claim) => (
          <List.Item>
            <Flex justify="space-between" align="center" gap={12} style={{ width: '100%' }}>
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text strong>{benefitName(claim.code)}</Typography.Text>
                <Typography.Text code>{claim.couponCode}</Typography.Text>
                {claim.validUntil && (
                  <Typography.Text type="secondary">
                    {t('member.validUntil')} {dayjs(claim.validUntil).format('YYYY-MM-DD')}
                  </Typography.Text>
                )}
              </Flex>
              <RedeemCouponButton phone={phone} couponCode={claim.couponCode ?? ''} size="large" />
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
