import type { Env } from '../env';
import { benefitsStore } from '../store/benefits';
import { exchangesStore } from '../store/exchanges';
import { ledgerStore } from '../store/ledger';
import { membersStore } from '../store/members';
import { referralsStore } from '../store/referrals';
import type { ReferralDeps } from './member-rewards';

/** The stores join gifts and referral rewards write (member-rewards.ts), on the function's tables. */
export function rewardStoresFromEnv(env: Env): ReferralDeps {
  const members = env.table('members');
  return {
    members: membersStore(env.dynamo(), members, env.table('outbox')),
    referrals: referralsStore(env.dynamo(), members),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), members, env.table('outbox')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: exchangesStore(env.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members,
      outbox: env.table('outbox'),
    }),
  };
}
