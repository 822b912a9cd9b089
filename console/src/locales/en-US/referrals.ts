import type zh from '../zh-CN/referrals';

/** The referral report (推荐有礼) and the join gift and referral settings. */
export default {
  'referrals.about':
    'Who brought whom, when they joined, where the rewards stand and what was given. Referral rewards go at the new member’s first purchase (or as they join).',
  'referrals.loadFailed': 'The referrals could not be loaded',
  'referrals.none': 'No referrals yet. A customer names their referrer as they join: "JOIN name REF phone".',
  'referrals.newMember': 'New member',
  'referrals.referrer': 'Referrer',
  'referrals.referredAt': 'Joined',
  'referrals.status': 'Status',
  'referrals.granted': 'Given',
  'referrals.gone': 'Deleted',
  'referrals.points': '{n} points',
  'referrals.toReferrer': 'Referrer: {reward}',
  'referrals.toNewMember': 'New member: {reward}',
  'referrals.channel.sms': 'by text',
  'referrals.channel.merchant-api': 'by API',
  'referrals.channel.import': 'imported',
  'referrals.status.pending': 'Awaiting first purchase',
  'referrals.status.rewarded': 'Rewarded',
  'referrals.status.capped': 'Over monthly cap',
  'referrals.status.no-reward': 'No reward',
  'settings.joinGift': 'Join gift',
  'settings.joinGiftHint':
    'Given once per phone, the first time it joins: not again after leaving and joining again, nor after an erasure.',
  'settings.rewardPoints': 'Points',
  'settings.rewardBenefit': 'Benefit code',
  'settings.rewardBenefitPlaceholder': 'e.g. WELCOME (empty: none)',
  'settings.joinGiftPoints': 'Join gift points',
  'settings.joinGiftBenefit': 'Join gift benefit code',
  'settings.referrals': 'Referral rewards',
  'settings.referralsHint':
    'Members name their referrer as they join ("注册 张三 推荐 13800138000"); the referrer must have joined before them.',
  'settings.referrerReward': 'Referrer’s reward',
  'settings.newMemberReward': 'New member’s reward',
  'settings.referrerPoints': 'Referrer reward points',
  'settings.referrerBenefit': 'Referrer reward benefit code',
  'settings.newMemberPoints': 'New member reward points',
  'settings.newMemberBenefit': 'New member reward benefit code',
  'settings.referralWhen': 'When',
  'settings.referralWhen.first-purchase': 'At the new member’s first purchase',
  'settings.referralWhen.join': 'As the new member joins',
  'settings.referralCap': 'Rewards per referrer per month, at most',
  'settings.referralCapHint':
    'Calendar months in the shop’s time zone; over it the referral is still recorded, without the referrer’s reward. Empty: no cap.',
} satisfies Record<keyof typeof zh, string>;
