import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/catalog';
import type { Member } from '../schemas/member';
import { memberKey, tierKey } from './members';
import { eventPuts } from './outbox';
import { queryAll } from './paging';
import { cancellationCodes } from './transactions';

/**
 * A member's tier state on the member item: `tier` (what they have), `earnedTier` (what their
 * score gives) and `tierPackage`; `filterPk` keeps the member in `byTierOrTag` under `tier`. A member holding a package is also in the sparse
 * `byPackageEnd` index (`<merchant>` / `<endsAt>#<member id>`) until it ends.
 */
export interface TierState {
  tier: string;
  earnedTier: string;
  tierPackage?: { tier: string; endsAt: string };
}

export interface TiersStore {
  /**
   * Writes a member's tier state if it is still what the caller evaluated from; false when
   * another writer got there first (the caller reads again and re-evaluates). `events` (a change of
   * tier) are committed with it in the outbox.
   */
  set(
    member: Pick<Member, 'merchantId' | 'phone' | 'memberId' | 'tier' | 'earnedTier' | 'tierPackage'>,
    next: TierState,
    at: Date,
    events?: DomainEvent[],
  ): Promise<boolean>;
  /** Members whose package ended before `before` (ISO), a page at a time. */
  packagesEnded(
    merchantId: string,
    before: string,
    limit: number,
  ): Promise<{ memberId: string; phone: string }[]>;
  /** Members whose package ends from `from` up to `until` (ISO), for reminders. */
  packagesEnding(
    merchantId: string,
    from: string,
    until: string,
  ): Promise<{ memberId: string; phone: string }[]>;
}

/** `outboxTable`: where the events given with a change of tier are committed with it. */
export function tiersStore(
  db: DynamoDBDocumentClient,
  membersTable: string,
  outboxTable?: string,
): TiersStore {
  return {
    async set(member, next, at, events) {
      const values: Record<string, unknown> = {
        ':tier': next.tier,
        ':earned': next.earnedTier,
        ':at': at.toISOString(),
        ':memberId': member.memberId,
        ':filterPk': tierKey(member.merchantId, next.tier),
      };
      const names: Record<string, string> = { '#tier': 'tier' };
      const conditions = ['memberId = :memberId', 'attribute_not_exists(deletedAt)'];
      // Optimistic: the state must still be what the evaluation started from.
      const expect = (attribute: string, value: string | undefined, name: string) => {
        if (value === undefined) conditions.push(`attribute_not_exists(${attribute})`);
        else {
          conditions.push(`${attribute} = ${name}`);
          values[name] = value;
        }
      };
      expect('#tier', member.tier, ':wasTier');
      expect('earnedTier', member.earnedTier, ':wasEarned');
      expect('tierPackage.endsAt', member.tierPackage?.endsAt, ':wasEnds');
      let update = 'SET #tier = :tier, filterPk = :filterPk, earnedTier = :earned, updatedAt = :at';
      if (next.tierPackage) {
        update += ', tierPackage = :package, packagePk = :merchant, packageSk = :packageSk';
        values[':package'] = next.tierPackage;
        values[':merchant'] = member.merchantId;
        values[':packageSk'] = `${next.tierPackage.endsAt}#${member.memberId}`;
      } else {
        update += ' REMOVE tierPackage, packagePk, packageSk';
      }
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: membersTable,
                  Key: memberKey(member.merchantId, member.phone),
                  UpdateExpression: update,
                  ConditionExpression: conditions.join(' AND '),
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: values,
                },
              },
              ...eventPuts(outboxTable, events, at),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },

    async packagesEnded(merchantId, before, limit) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: membersTable,
          IndexName: 'byPackageEnd',
          KeyConditionExpression: 'packagePk = :merchant AND packageSk < :before',
          ExpressionAttributeValues: { ':merchant': merchantId, ':before': before },
          Limit: limit,
        }),
      );
      return Items.map((item) => ({ memberId: item.memberId as string, phone: item.phone as string }));
    },

    async packagesEnding(merchantId, from, until) {
      const found: { memberId: string; phone: string }[] = [];
      for await (const item of queryAll(db, {
        TableName: membersTable,
        IndexName: 'byPackageEnd',
        KeyConditionExpression: 'packagePk = :merchant AND packageSk BETWEEN :from AND :until',
        ExpressionAttributeValues: { ':merchant': merchantId, ':from': from, ':until': until },
      })) {
        found.push({ memberId: item.memberId as string, phone: item.phone as string });
      }
      return found;
    },
  };
}
