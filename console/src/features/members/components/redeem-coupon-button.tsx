import { App, Button, Popconfirm } from 'antd';
import { useRef } from 'react';
import { problemReason } from '../../../components/api-problem';
import { useT } from '../../../lib/i18n';
import { useIdempotencyKey } from '../../../lib/idempotency';
import { useRedeemCoupon } from '../api/redeem-coupon';

interface RedeemCouponButtonProps {
  phone: string;
  couponCode: string;
  size?: 'small' | 'middle' | 'large';
  block?: boolean;
}

/**
 * Redeems one coupon after a confirmation. The idempotency key is made with the button and kept until
 * the coupon is redeemed: a double click, or a retry after a lost answer, redeems it once. A refusal
 * (used meanwhile at another till, expired) shows the API's reason, and the claims load again.
 */
export function RedeemCouponButton({ phone, couponCode, size = 'small', block }: RedeemCouponButtonProps) {
  const t = useT();
  const { message } = App.useApp();
  const idempotency = useIdempotencyKey();
  const redeem = useRedeemCoupon(phone);
  const sending = useRef(false);

  async function confirm() {
    if (sending.current) return;
    sending.current = true;
    try {
      await redeem.mutateAsync({ couponCode, idempotencyKey: idempotency.key });
      idempotency.renew();
      message.success(t('coupon.redeemed', { code: couponCode }));
    } catch (error) {
      message.error(t('coupon.redeemFailed', { reason: problemReason(error, t) }));
    } finally {
      sending.current = false;
    }
  }

  return (
    <Popconfirm
      title={t('coupon.redeemConfirm', { code: couponCode })}
      description={t('coupon.redeemHint')}
      okText={t('coupon.redeem')}
      onConfirm={confirm}
    >
      <Button
        type="primary"
        size={size}
        block={block}
        loading={redeem.isPending}
        aria-label={`${t('coupon.redeem')} ${couponCode}`}
      >
        {t('coupon.redeem')}
      </Button>
    </Popconfirm>
  );
}
