import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tables } from '../../shared/resources';
import type { MarketingConsent } from '../../shared/schemas/member';
import { newMemberItem } from '../../shared/store/members';
import { consentWrites } from '../../shared/store/members/consent';

/** A member to write straight to the table, as an import leaves one. */
export interface SeededMember {
  memberId: string;
  phone: string;
  name: string;
  tags: string[];
  joinedAt: string;
  points: number;
}

/**
 * Members who opted in to marketing, written straight to the Members table in batches of 25 (8 batches
 * at a time): each member's item and the three items a consent change leaves (the phone's consent, its
 * immutable record and its retry guard), the same items the members store writes for one member in a
 * transaction. Setup for a test of what comes after, not a test of how members join.
 */
export async function seedOptedIn(
  db: DynamoDBDocumentClient,
  merchantId: string,
  members: SeededMember[],
  consent: (member: SeededMember) => MarketingConsent,
): Promise<void> {
  const table = tables.members.name;
  const items = members.flatMap((m) => [
    newMemberItem({ merchantId, ...m, joinChannel: 'import', joinRef: 'test' }).item,
    ...consentWrites(table, merchantId, m.phone, consent(m), false).map((write) => write.Put.Item),
  ]);
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) =>
    items.slice(b * 25, b * 25 + 25),
  );
  await inParallel(batches, (batch) => writeAll(db, table, batch));
}

/** One BatchWriteItem, and again with whatever DynamoDB left unprocessed until nothing is left. */
async function writeAll(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length > 0) {
    const { UnprocessedItems } = await db.send(
      new BatchWriteCommand({ RequestItems: { [table]: requests } }),
    );
    requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}

export async function inParallel<T>(
  items: T[],
  work: (item: T) => Promise<unknown>,
  streams = 8,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: streams }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
    }),
  );
}
