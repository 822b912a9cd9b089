import { Card, Flex, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useLanguage } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import { useLoyaltySettings } from '../api/get-loyalty-settings';
import type { Member } from '../api/get-member';

/** A tier's name in the merchant's tier table, or its code when the table cannot be read. */
export function useTierName(): (code: string | undefined) => string | undefined {
  const { data } = useLoyaltySettings();
  return (code) =>
    code === undefined ? undefined : (data?.tiers.find((tier) => tier.code === code)?.name ?? code);
}

/** Who the member is and what they hold: name, phone, tier, package, points and stored value. */
export function MemberSummary({ member, extra }: { member: Member; extra?: ReactNode }) {
  const { t, language } = useLanguage();
  const tierName = useTierName();
  const tier = tierName(member.tier);
  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap style={{ minWidth: 0 }}>
          <Typography.Text strong>{member.name ?? member.phone}</Typography.Text>
          {member.name && <Typography.Text type="secondary">{member.phone}</Typography.Text>}
          {tier && <Tag color="gold">{tier}</Tag>}
        </Flex>
      }
      extra={extra}
    >
      <Flex gap={32} wrap>
        <Balance title={t('member.points')} value={member.points} />
        <Balance title={t('member.storedValue')} value={formatYuan(member.storedValue, language)} />
        {/* Bonus stored value (充值赠送) is kept apart: a refund returns only what was paid. */}
        <Balance
          title={t('member.storedValuePaid')}
          value={formatYuan(member.storedValue - (member.storedValueBonus ?? 0), language)}
        />
        <Balance
          title={t('member.storedValueBonus')}
          value={formatYuan(member.storedValueBonus ?? 0, language)}
        />
        {member.tierPackage && (
          <Statistic
            title={t('member.package')}
            value={t('member.packageUntil', {
              tier: tierName(member.tierPackage.tier) ?? member.tierPackage.tier,
              date: dayjs(member.tierPackage.endsAt).format('YYYY-MM-DD'),
            })}
            styles={{ content: { fontSize: 16 } }}
          />
        )}
      </Flex>
    </Card>
  );
}

/** A balance, named by its title for whoever reads the page without seeing it. */
export function Balance({ title, value }: { title: string; value: number | string }) {
  return (
    <fieldset aria-label={title} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <Statistic title={title} value={value} />
    </fieldset>
  );
}
