import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { ownerCountChange, type Role, type Staff, staffSchema } from '../domain/staff';
import { queryAll } from './paging';
import { cancellationCodes, retryConflicts } from './transactions';

/**
 * A merchant's staff, in the Directory table: `STAFF#<merchant>#<staff id>` (the member of staff,
 * kept with `status: removed` after removal), `STAFFPHONE#<e164>` (which staff member signs in with a
 * phone; a phone is one active staff member's at a time, across merchants, because sign-in names no
 * merchant) and `OWNERS#<merchant>` (how many active owners the merchant has). Every change that
 * moves the owner count updates it in the same transaction, on condition that it stays above 0: the
 * last owner can be neither removed nor demoted, however many requests race.
 * A merchant's staff are listed from the `staffByMerchant` index (`merchantId`, `staffId`).
 */
export interface StaffStore {
  add(merchantId: string, staff: NewStaff, at: Date): Promise<AddStaffOutcome>;
  /** One staff member, as stored now (strongly consistent: a removal counts from the next request). */
  get(merchantId: string, staffId: string): Promise<Staff | undefined>;
  /** The active staff member who signs in with `phone`, and their merchant. */
  byPhone(phone: string): Promise<{ merchantId: string; staff: Staff } | undefined>;
  /**
   * The merchant's removed staff member who had `phone`, if any: a staff command from them is refused
   * as theirs. Read from the merchant's staff (a shop has a few dozen), as the phone's own item went
   * with the removal.
   */
  formerByPhone(merchantId: string, phone: string): Promise<Staff | undefined>;
  list(merchantId: string, page: { limit: number; cursor?: string }): Promise<StaffPage>;
  change(merchantId: string, staffId: string, change: StaffChange, at: Date): Promise<ChangeStaffOutcome>;
  remove(merchantId: string, staffId: string, at: Date): Promise<ChangeStaffOutcome>;
}

export interface NewStaff {
  phone: string;
  name: string;
  role: Role;
  storeId?: string;
}

export interface StaffChange {
  name?: string;
  role?: Role;
  /** The store they belong to; null: every store. */
  storeId?: string | null;
}

export interface StaffPage {
  staff: Staff[];
  cursor?: string;
}

export type AddStaffOutcome = { status: 'added'; staff: Staff } | { status: 'phone-taken' };

export type ChangeStaffOutcome =
  | { status: 'changed'; staff: Staff }
  | { status: 'not-found' }
  /** The change would leave the merchant without an active owner: nothing changed. */
  | { status: 'last-owner' };

const staffKey = (merchantId: string, staffId: string) => ({ pk: `STAFF#${merchantId}#${staffId}` });
const phoneKey = (phone: string) => ({ pk: `STAFFPHONE#${phone}` });
const ownersKey = (merchantId: string) => ({ pk: `OWNERS#${merchantId}` });
const staffIndex = 'staffByMerchant';
/** Attempts at a change whose staff member changed between its read and its write. */
const changeAttempts = 3;

export function staffStore(db: DynamoDBDocumentClient, tableName: string): StaffStore {
  const get = async (merchantId: string, staffId: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: staffKey(merchantId, staffId), ConsistentRead: true }),
    );
    return Item ? staffSchema.parse(Item) : undefined;
  };

  /** The transaction item moving the owner count by `delta`, refusing to take it below 1. */
  const owners = (merchantId: string, delta: -1 | 0 | 1) =>
    delta === 0
      ? []
      : [
          {
            Update: {
              TableName: tableName,
              Key: ownersKey(merchantId),
              UpdateExpression: 'ADD #owners :delta',
              ...(delta < 0 ? { ConditionExpression: '#owners > :one' } : {}),
              ExpressionAttributeNames: { '#owners': 'owners' },
              ExpressionAttributeValues: { ':delta': delta, ...(delta < 0 ? { ':one': 1 } : {}) },
            },
          },
        ];

  /**
   * Rewrites an active staff member with `next` (undefined: removes them), on condition that they are
   * still as read; a staff member changed meanwhile is read again and the change made again.
   */
  const rewrite = async (
    merchantId: string,
    staffId: string,
    next: (staff: Staff) => Staff,
    removing: boolean,
  ): Promise<ChangeStaffOutcome> => {
    for (let attempt = 1; attempt <= changeAttempts; attempt++) {
      const staff = await get(merchantId, staffId);
      if (staff?.status !== 'active') return { status: 'not-found' };
      const changed = next(staff);
      const delta = ownerCountChange(staff.role, removing ? undefined : changed.role);
      const items = [
        {
          Put: {
            TableName: tableName,
            Item: { ...staffKey(merchantId, staffId), merchantId, ...changed },
            ConditionExpression: '#status = :active AND #role = :role',
            ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
            ExpressionAttributeValues: { ':active': 'active', ':role': staff.role },
          },
        },
        ...owners(merchantId, delta),
        ...(removing
          ? [
              {
                Delete: {
                  TableName: tableName,
                  Key: phoneKey(staff.phone),
                  ConditionExpression: 'staffOf = :staffId',
                  ExpressionAttributeValues: { ':staffId': staffId },
                },
              },
            ]
          : []),
      ];
      try {
        await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })));
        return { status: 'changed', staff: changed };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        if (delta < 0 && codes[1] === 'ConditionalCheckFailed') return { status: 'last-owner' };
        if (codes[0] !== 'ConditionalCheckFailed') throw error;
      }
    }
    throw new Error(`staff ${staffId} of ${merchantId} kept changing; try again`);
  };

  return {
    get,
    async add(merchantId, { phone, name, role, storeId }, at) {
      const staff: Staff = {
        staffId: ulid(at.getTime()),
        phone,
        name,
        role,
        ...(storeId ? { storeId } : {}),
        status: 'active',
        createdAt: at.toISOString(),
      };
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...phoneKey(phone), merchantId, staffOf: staff.staffId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...staffKey(merchantId, staff.staffId), merchantId, ...staff },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...owners(merchantId, ownerCountChange(undefined, role)),
            ],
          }),
        );
        return { status: 'added', staff };
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return { status: 'phone-taken' };
        throw error;
      }
    },
    async byPhone(phone) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: phoneKey(phone), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const merchantId = String(Item.merchantId);
      const staff = await get(merchantId, String(Item.staffOf));
      return staff?.status === 'active' ? { merchantId, staff } : undefined;
    },
    async formerByPhone(merchantId, phone) {
      for await (const item of queryAll(db, {
        TableName: tableName,
        IndexName: staffIndex,
        KeyConditionExpression: 'merchantId = :merchant',
        FilterExpression: 'phone = :phone AND #status = :removed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':merchant': merchantId, ':phone': phone, ':removed': 'removed' },
      })) {
        return staffSchema.parse(item);
      }
      return undefined;
    },
    async list(merchantId, { limit, cursor }) {
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: staffIndex,
          KeyConditionExpression: 'merchantId = :merchant',
          ExpressionAttributeValues: { ':merchant': merchantId },
          Limit: limit,
          ...(cursor
            ? { ExclusiveStartKey: { ...staffKey(merchantId, cursor), merchantId, staffId: cursor } }
            : {}),
        }),
      );
      return {
        staff: Items.map((item) => staffSchema.parse(item)),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.staffId) } : {}),
      };
    },
    change: (merchantId, staffId, change, at) =>
      rewrite(
        merchantId,
        staffId,
        (staff) => {
          const { storeId, ...rest } = change;
          const changed: Staff = { ...staff, ...rest, updatedAt: at.toISOString() };
          if (storeId === null) delete changed.storeId;
          else if (storeId !== undefined) changed.storeId = storeId;
          return changed;
        },
        false,
      ),
    remove: (merchantId, staffId, at) =>
      rewrite(
        merchantId,
        staffId,
        (staff) => ({
          ...staff,
          status: 'removed',
          removedAt: at.toISOString(),
          updatedAt: at.toISOString(),
        }),
        true,
      ),
  };
}
