import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type CareSettings, careSettingsSchema } from '../schemas/care';
import { type Member, memberSchema } from '../schemas/member';
import { birthdayKey, joinDayKey } from './members';
import { queryAll } from './paging';

/**
 * Care settings live in the Care table (`<merchant>#CARE` / `SETTINGS`). The day's birthdays and
 * anniversaries are read from the Members table's sparse `byBirthday` and `byJoinDay` indexes:
 * one item read per member found, whatever the merchant's size. Low balances come from the
 * `byStoredValue` index, which holds members who ever had stored value, sorted by balance.
 */
export interface CareStore {
  settings(merchantId: string): Promise<CareSettings | undefined>;
  saveSettings(merchantId: string, settings: CareSettings, at: Date): Promise<void>;
  /** Members whose birthday month-day is one of `monthDays`. */
  birthdays(merchantId: string, monthDays: readonly string[]): Promise<Member[]>;
  /** Members who joined on `monthDay` (UTC date of joining), any year. */
  joinedOn(merchantId: string, monthDay: string): Promise<Member[]>;
  /** Members who hold or held stored value and now have less than `belowCents`, with when it last changed. */
  lowBalances(merchantId: string, belowCents: number): Promise<(Member & { storedValueAt: string })[]>;
}

export function careStore(db: DynamoDBDocumentClient, careTable: string, membersTable: string): CareStore {
  const settingsKey = (merchantId: string) => ({ pk: `${merchantId}#CARE`, sk: 'SETTINGS' });

  async function query(indexName: string, condition: string, values: Record<string, unknown>) {
    const items: Record<string, unknown>[] = [];
    const query = {
      TableName: membersTable,
      IndexName: indexName,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
    };
    for await (const item of queryAll(db, query)) if (!item.deletedAt) items.push(item);
    return items;
  }
  const byIndex = async (indexName: string, attribute: string, value: string) =>
    (await query(indexName, `${attribute} = :key`, { ':key': value })).map((item) =>
      memberSchema.parse(item),
    );

  return {
    async settings(merchantId) {
      const { Item } = await db.send(new GetCommand({ TableName: careTable, Key: settingsKey(merchantId) }));
      return Item ? careSettingsSchema.parse(Item.settings) : undefined;
    },
    async saveSettings(merchantId, settings, at) {
      await db.send(
        new PutCommand({
          TableName: careTable,
          Item: { ...settingsKey(merchantId), settings, updatedAt: at.toISOString() },
        }),
      );
    },
    async birthdays(merchantId, monthDays) {
      const found = await Promise.all(
        monthDays.map((day) => byIndex('byBirthday', 'birthdayPk', birthdayKey(merchantId, day))),
      );
      return found.flat();
    },
    joinedOn: (merchantId, monthDay) => byIndex('byJoinDay', 'joinDayPk', joinDayKey(merchantId, monthDay)),
    async lowBalances(merchantId, belowCents) {
      const items = await query('byStoredValue', 'storedValuePk = :merchant AND storedValue < :below', {
        ':merchant': merchantId,
        ':below': belowCents,
      });
      return items.map((item) => ({
        ...memberSchema.parse(item),
        storedValueAt: item.storedValueAt as string,
      }));
    },
  };
}
