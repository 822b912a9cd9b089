import { Flex, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { type Translate, useT } from '../../../lib/i18n';
import { type Referral, useReferrals } from '../api/referrals';

type Party = Referral['newMember'];
type Reward = Referral['referrerReward'];

const statusColor = {
  pending: 'processing',
  rewarded: 'success',
  capped: 'warning',
  'no-reward': 'default',
} as const;

/** A member of a referral: their name and phone (a link to them), or that they are gone. */
function PartyCell({ party }: { party: Party }) {
  const t = useT();
  if (party.gone || !party.phone)
    return <Typography.Text type="secondary">{t('referrals.gone')}</Typography.Text>;
  return (
    <Flex vertical>
      <Link to={`/members/${encodeURIComponent(party.phone)}`}>{party.name ?? party.phone}</Link>
      {party.name && <Typography.Text type="secondary">{party.phone}</Typography.Text>}
    </Flex>
  );
}

/** What a reward gave, in words: 50 积分 + WELCOME. */
const rewardText = (t: Translate, reward: Reward) =>
  reward
    ? [
        ...(reward.points ? [t('referrals.points', { n: reward.points })] : []),
        ...(reward.benefitCode ? [reward.benefitCode] : []),
      ].join(' + ')
    : '—';

/** The referral report (推荐有礼): who brought whom, when, where it stands and what each was given. */
export function ReferralsPage() {
  const t = useT();
  const pages = useCursorPages();
  const list = useReferrals(pages.cursor);
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.referrals')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('referrals.about')}</Typography.Text>
      {list.error ? (
        <QueryProblem title={t('referrals.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          <Table<Referral>
            size="small"
            rowKey={(referral) => referral.newMember.memberId}
            loading={list.isFetching}
            dataSource={list.data?.referrals}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('referrals.none') }}
            columns={[
              {
                key: 'newMember',
                title: t('referrals.newMember'),
                render: (_, referral) => <PartyCell party={referral.newMember} />,
              },
              {
                key: 'status',
                title: t('referrals.status'),
                render: (_, referral) => (
                  <Tag color={statusColor[referral.status]}>{t(`referrals.status.${referral.status}`)}</Tag>
                ),
              },
              {
                key: 'referrer',
                title: t('referrals.referrer'),
                render: (_, referral) => <PartyCell party={referral.referrer} />,
              },
              {
                key: 'referredAt',
                title: t('referrals.referredAt'),
                render: (_, referral) => (
                  <Flex vertical>
                    <span>{dayjs(referral.referredAt).format('YYYY-MM-DD HH:mm')}</span>
                    <Typography.Text type="secondary">
                      {t(`referrals.channel.${referral.channel}`)}
                    </Typography.Text>
                  </Flex>
                ),
              },
              {
                key: 'granted',
                title: t('referrals.granted'),
                render: (_, referral) =>
                  referral.status === 'pending' ? (
                    '—'
                  ) : (
                    <Flex vertical>
                      <span>
                        {t('referrals.toReferrer', { reward: rewardText(t, referral.referrerReward) })}
                      </span>
                      <span>
                        {t('referrals.toNewMember', { reward: rewardText(t, referral.newMemberReward) })}
                      </span>
                    </Flex>
                  ),
              },
            ]}
          />
          <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
        </>
      )}
    </Flex>
  );
}
