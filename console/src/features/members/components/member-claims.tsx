import { Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { QueryProblem } from '../../../components/query-problem';
import { type Translate, useT } from '../../../lib/i18n';
import { useBenefitName } from '../api/get-benefits';
import { type Claim, useClaims } from '../api/get-claims';
import { RedeemCouponButton } from './redeem-coupon-button';

/** Codes, dates and the button read best on one line; names and the use may wrap. */
const oneLine = () => ({ style: { whiteSpace: 'nowrap' as const } });

const stateColor: Record<Claim['state'], string | undefined> = {
  active: 'green',
  used: 'blue',
  expired: undefined,
};

/** When a coupon was used, by whom and how: a member of staff by name, an API key by its end. */
export function usedText(claim: Claim, t: Translate): string | undefined {
  if (!claim.usedAt || !claim.usedBy || !claim.usedChannel) return undefined;
  const by = claim.usedBy.name ?? `${t('coupon.apiKey')} …${claim.usedBy.id.slice(-4)}`;
  return t('coupon.used', {
    at: dayjs(claim.usedAt).format('YYYY-MM-DD HH:mm'),
    by,
    channel: t(`coupon.channel.${claim.usedChannel}`),
  });
}

/**
 * The benefits the member claimed, newest first: each coupon's code, whether it is still usable, used
 * (when, by whom) or expired, and a way to redeem a usable one.
 */
export function MemberClaims({ phone }: { phone: string }) {
  const t = useT();
  const claims = useClaims(phone);
  const benefitName = useBenefitName();
  if (claims.isError) {
    return (
      <QueryProblem title={t('member.loadFailed')} error={claims.error} onRetry={() => claims.refetch()} />
    );
  }
  return (
    <Table<Claim>
      rowKey="claimId"
      size="small"
      pagination={false}
      loading={claims.isFetching}
      dataSource={claims.data}
      locale={{ emptyText: t('member.claimsEmpty') }}
      columns={[
        {
          title: t('member.claimCode'),
          dataIndex: 'code',
          onHeaderCell: oneLine,
          render: (code: string) => benefitName(code),
        },
        {
          title: t('member.couponCode'),
          dataIndex: 'couponCode',
          onHeaderCell: oneLine,
          onCell: oneLine,
          render: (code?: string) => (code ? <Typography.Text code>{code}</Typography.Text> : '—'),
        },
        { title: t('member.claimValue'), dataIndex: 'value', responsive: ['xl'], onHeaderCell: oneLine },
        {
          title: t('member.validUntil'),
          dataIndex: 'validUntil',
          responsive: ['sm'],
          onHeaderCell: oneLine,
          onCell: oneLine,
          render: (until?: string) => (until ? dayjs(until).format('YYYY-MM-DD') : '—'),
        },
        {
          title: t('member.claimState'),
          dataIndex: 'state',
          onHeaderCell: oneLine,
          render: (state: Claim['state'], claim) => (
            <>
              <Tag color={stateColor[state]}>{t(`member.claimState.${state}`)}</Tag>
              {state === 'used' && (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {usedText(claim, t)}
                </Typography.Text>
              )}
            </>
          ),
        },
        {
          title: t('member.claimActions'),
          key: 'actions',
          onHeaderCell: oneLine,
          render: (_, claim) =>
            claim.state === 'active' &&
            claim.couponCode && <RedeemCouponButton phone={phone} couponCode={claim.couponCode} />,
        },
      ]}
    />
  );
}
