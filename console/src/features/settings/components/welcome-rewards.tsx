import { Card, Flex, Form, Input, InputNumber, Select } from 'antd';
import { useT } from '../../../lib/i18n';
import type { LoyaltySettings } from '../api/loyalty-settings';

type Reward = NonNullable<LoyaltySettings['joinGift']>;
type Referrals = NonNullable<LoyaltySettings['referrals']>;
type When = NonNullable<Referrals['when']>;

/** The join gift (开卡礼) and referral rewards (推荐有礼) as the form holds them: one field a value. */
export interface WelcomeFields {
  joinGiftPoints?: number | null;
  joinGiftBenefit?: string;
  referrerPoints?: number | null;
  referrerBenefit?: string;
  newMemberPoints?: number | null;
  newMemberBenefit?: string;
  referralWhen: When;
  referralCap?: number | null;
}

/** Where the API's refusals of these settings land in the form. */
export const welcomeFieldOf = {
  joinGift: 'joinGiftPoints',
  'joinGift.points': 'joinGiftPoints',
  'joinGift.benefitCode': 'joinGiftBenefit',
  'referrals.referrer': 'referrerPoints',
  'referrals.referrer.points': 'referrerPoints',
  'referrals.referrer.benefitCode': 'referrerBenefit',
  'referrals.newMember': 'newMemberPoints',
  'referrals.newMember.points': 'newMemberPoints',
  'referrals.newMember.benefitCode': 'newMemberBenefit',
  'referrals.monthlyCapPerReferrer': 'referralCap',
} as const;
export const welcomeFields = [
  'joinGiftPoints',
  'joinGiftBenefit',
  'referrerPoints',
  'referrerBenefit',
  'newMemberPoints',
  'newMemberBenefit',
  'referralWhen',
  'referralCap',
] as const;

const rewardFields = (reward: Reward | undefined) => ({
  points: reward?.points,
  benefit: reward?.benefitCode ?? '',
});

export function toWelcomeFields({ joinGift, referrals }: LoyaltySettings): WelcomeFields {
  const gift = rewardFields(joinGift);
  const referrer = rewardFields(referrals?.referrer);
  const newMember = rewardFields(referrals?.newMember);
  return {
    joinGiftPoints: gift.points,
    joinGiftBenefit: gift.benefit,
    referrerPoints: referrer.points,
    referrerBenefit: referrer.benefit,
    newMemberPoints: newMember.points,
    newMemberBenefit: newMember.benefit,
    referralWhen: referrals?.when ?? 'first-purchase',
    referralCap: referrals?.monthlyCapPerReferrer,
  };
}

/** A reward as the API takes it, or nothing when both of its fields are empty. */
function rewardOf(points: number | null | undefined, benefit: string | undefined): Reward | undefined {
  const code = benefit?.trim().toUpperCase();
  if (typeof points !== 'number' && !code) return undefined;
  return { ...(typeof points === 'number' ? { points } : {}), ...(code ? { benefitCode: code } : {}) };
}

/** The settings' `joinGift` and `referrals`: left out when nothing is set. */
export function toWelcomeSettings(values: WelcomeFields): Pick<LoyaltySettings, 'joinGift' | 'referrals'> {
  const joinGift = rewardOf(values.joinGiftPoints, values.joinGiftBenefit);
  const referrer = rewardOf(values.referrerPoints, values.referrerBenefit);
  const newMember = rewardOf(values.newMemberPoints, values.newMemberBenefit);
  const cap = typeof values.referralCap === 'number' ? { monthlyCapPerReferrer: values.referralCap } : {};
  return {
    ...(joinGift ? { joinGift } : {}),
    referrals: {
      ...(referrer ? { referrer } : {}),
      ...(newMember ? { newMember } : {}),
      when: values.referralWhen,
      ...cap,
    },
  };
}

/** Points and a benefit code, side by side, wrapping on a phone. */
function RewardInputs({ points, benefit }: { points: keyof WelcomeFields; benefit: keyof WelcomeFields }) {
  const t = useT();
  return (
    <Flex gap={8} wrap>
      <Form.Item
        name={points}
        label={t('settings.rewardPoints')}
        style={{ flex: '1 1 140px', marginBottom: 8 }}
      >
        <InputNumber
          min={1}
          max={100000}
          precision={0}
          aria-label={t(`settings.${points}`)}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <Form.Item
        name={benefit}
        label={t('settings.rewardBenefit')}
        normalize={(value: string) => value.toUpperCase()}
        style={{ flex: '1 1 180px', marginBottom: 8 }}
      >
        <Input
          maxLength={20}
          placeholder={t('settings.rewardBenefitPlaceholder')}
          aria-label={t(`settings.${benefit}`)}
        />
      </Form.Item>
    </Flex>
  );
}

/** The join gift and the referral rewards of the loyalty settings. */
export function WelcomeRewards() {
  const t = useT();
  return (
    <>
      <Form.Item label={t('settings.joinGift')} extra={t('settings.joinGiftHint')}>
        <Card size="small">
          <RewardInputs points="joinGiftPoints" benefit="joinGiftBenefit" />
        </Card>
      </Form.Item>
      <Form.Item label={t('settings.referrals')} extra={t('settings.referralsHint')}>
        <Card size="small">
          <Flex vertical gap={4}>
            <strong>{t('settings.referrerReward')}</strong>
            <RewardInputs points="referrerPoints" benefit="referrerBenefit" />
            <strong>{t('settings.newMemberReward')}</strong>
            <RewardInputs points="newMemberPoints" benefit="newMemberBenefit" />
            <Flex gap={8} wrap>
              <Form.Item name="referralWhen" label={t('settings.referralWhen')} style={{ flex: '1 1 200px' }}>
                <Select
                  aria-label={t('settings.referralWhen')}
                  options={(['first-purchase', 'join'] as const).map((when) => ({
                    value: when,
                    label: t(`settings.referralWhen.${when}`),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="referralCap"
                label={t('settings.referralCap')}
                extra={t('settings.referralCapHint')}
                style={{ flex: '1 1 200px' }}
              >
                <InputNumber
                  min={1}
                  max={1000}
                  precision={0}
                  aria-label={t('settings.referralCap')}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Flex>
          </Flex>
        </Card>
      </Form.Item>
    </>
  );
}
