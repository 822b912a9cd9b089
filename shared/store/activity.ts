import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Member, memberSchema } from '../schemas/member';
import { type ActivityEvent, type MemberActivity, memberActivitySchema } from '../schemas/retention';
import { memberKey, membersStore } from './members';
import { cancellationCodes, retryConflicts } from './transactions';

/**
 * Members' activity facts (`activity` on the member item, see shared/schemas/retention.ts), rewritten
 * whole: read the member, apply a pure change, write it back on condition that `activity.version` is
 * still what was read. Two events for one member at once both count: the one that loses re-reads and
 * applies its change again.
 *
 * Idempotency: each event counts once, keyed by its event id. EventBridge delivers at least once, and
 * an event may come back after its rule's day of retries or from a dead-letter queue (kept 14 days),
 * so the marker `activity#<merchant>#<event id>` is written to the Idempotency table in the same
 * transaction as the facts, and expires after 35 days, when no copy of the event can still arrive.
 */
export type ActivityMember = { phone: string } | { memberId: string };

export type RecordOutcome =
  | 'recorded'
  /** The event was counted before: nothing changed. */
  | 'duplicate'
  /** No member (a stranger's text), or a deleted one: nothing to count. */
  | 'no-member';

export interface ActivityStore {
  /** Counts one event on the member's facts, once per event id. */
  record(
    merchantId: string,
    member: ActivityMember,
    event: ActivityEvent,
    change: (activity: MemberActivity | undefined) => MemberActivity,
  ): Promise<RecordOutcome>;
  /**
   * Rewrites the member's facts with `change`, which sees the member as read and answers the new facts,
   * or nothing to leave them as they are. No marker: the caller's change recognises a repeat itself (a
   * retention target carries its event id). The member as it stands after, or nothing when there is no
   * current member at `phone`.
   */
  update(
    merchantId: string,
    phone: string,
    change: (member: Member) => MemberActivity | undefined,
  ): Promise<Member | undefined>;
}

/** Someone else kept rewriting the member's facts: the caller fails, and its event comes again later. */
export class ActivityConflictError extends Error {
  constructor(merchantId: string, phone: string) {
    super(`the activity of ${merchantId} ${phone} kept changing; try the event again`);
    this.name = 'ActivityConflictError';
  }
}

/**
 * A member id that events carry is always a member's, but the `byMemberId` index shows a new member a
 * moment after it is written: failing lets the event come back once it does.
 */
export class MemberNotFoundError extends Error {
  constructor(merchantId: string, memberId: string) {
    super(`member ${memberId} of ${merchantId} is not in the byMemberId index (yet)`);
    this.name = 'MemberNotFoundError';
  }
}

/** Rewrites on a moved version before giving up: each attempt re-reads, so a few are plenty. */
const rewriteAttempts = 5;
/** How long an event's marker is kept: longer than any redelivery of it (see above). */
const markerDays = 35;

/**
 * The members' facts with `update` only: for functions that count no events, and so have no access
 * to the Idempotency table.
 */
export function activityUpdates(
  db: DynamoDBDocumentClient,
  membersTable: string,
): Pick<ActivityStore, 'update'> {
  return {
    async update(merchantId, phone, change) {
      const outcome = await rewrite(db, membersTable, merchantId, phone, change);
      return outcome.status === 'written' || outcome.status === 'unchanged' ? outcome.member : undefined;
    },
  };
}

export function activityStore(
  db: DynamoDBDocumentClient,
  membersTable: string,
  idempotencyTable: string,
): ActivityStore {
  const members = membersStore(db, membersTable);

  /** The member's phone: the members key, which is what the version-conditioned write needs. */
  async function phoneOf(merchantId: string, member: ActivityMember): Promise<string> {
    if ('phone' in member) return member.phone;
    const found = await members.byMemberId(merchantId, member.memberId);
    if (!found) throw new MemberNotFoundError(merchantId, member.memberId);
    return found.phone;
  }

  return {
    ...activityUpdates(db, membersTable),

    async record(merchantId, member, event, change) {
      const phone = await phoneOf(merchantId, member);
      const expiration = Math.floor(Date.now() / 1000) + markerDays * 86_400;
      const marker = {
        TableName: idempotencyTable,
        Item: { id: `activity#${merchantId}#${event.eventId}`, expiration },
      };
      const outcome = await rewrite(
        db,
        membersTable,
        merchantId,
        phone,
        (current) => change(current.activity),
        marker,
      );
      return outcome.status === 'written' || outcome.status === 'unchanged' ? 'recorded' : outcome.status;
    },
  };
}

async function read(
  db: DynamoDBDocumentClient,
  membersTable: string,
  merchantId: string,
  phone: string,
): Promise<Member | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: membersTable, Key: memberKey(merchantId, phone), ConsistentRead: true }),
  );
  if (!Item || Item.deletedAt) return undefined;
  return memberSchema.parse(Item);
}

/**
 * The conditioned rewrite, with the event's marker (if any) put in the same transaction. `unchanged`
 * when the change left the facts as they were; `duplicate` when the marker was already there.
 */
async function rewrite(
  db: DynamoDBDocumentClient,
  membersTable: string,
  merchantId: string,
  phone: string,
  change: (member: Member) => MemberActivity | undefined,
  marker?: { TableName: string; Item: { id: string; expiration: number } },
): Promise<{ status: 'written' | 'unchanged'; member: Member } | { status: 'duplicate' | 'no-member' }> {
  for (let attempt = 0; attempt < rewriteAttempts; attempt++) {
    const member = await read(db, membersTable, merchantId, phone);
    if (!member) return { status: 'no-member' };
    const changed = change(member);
    if (!changed) return { status: 'unchanged', member };
    const was = member.activity?.version;
    const activity = memberActivitySchema.parse({ ...changed, version: (was ?? 0) + 1 });
    const items = [
      {
        Update: {
          TableName: membersTable,
          Key: memberKey(merchantId, phone),
          UpdateExpression: 'SET activity = :activity',
          ConditionExpression: [
            'attribute_exists(pk)',
            'attribute_not_exists(deletedAt)',
            'memberId = :memberId',
            was === undefined ? 'attribute_not_exists(activity)' : 'activity.version = :was',
          ].join(' AND '),
          ExpressionAttributeValues: {
            ':activity': activity,
            ':memberId': member.memberId,
            ...(was === undefined ? {} : { ':was': was }),
          },
        },
      },
      ...(marker ? [{ Put: { ...marker, ConditionExpression: 'attribute_not_exists(id)' } }] : []),
    ];
    try {
      await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })));
      return { status: 'written', member: { ...member, activity } };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[1] === 'ConditionalCheckFailed') return { status: 'duplicate' };
      // The version moved (or the member was deleted meanwhile): read again and apply the change again.
      if (codes[0] !== 'ConditionalCheckFailed') throw error;
    }
  }
  throw new ActivityConflictError(merchantId, phone);
}
