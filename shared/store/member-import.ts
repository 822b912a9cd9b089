import { createHash, randomFillSync } from 'node:crypto';
import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulidx';
import type { ImportedMember, ImportRow } from '../domain/member-import';
import { type MemberPatch, maxCustomAttributes } from '../schemas/member';
import type { ImportReport } from '../schemas/member-import';
import { memberKey, newMemberItem, profileUpdate, recordConsent, tagIndexChange } from './members';
import { cancellationCodes, isConditionFailure } from './transactions';

export interface ImportOptions {
  now: Date;
  /** Recorded as `joinRef` on the members the import creates. */
  importId: string;
  /** The merchant's entry tier, given to new members as the API gives it. */
  entryTier?: string;
  /** Batches (of up to `batchSize` rows) read and written at once. */
  concurrency?: number;
}

/** An import report lists this many bad rows; the rest are counted in `failed`. */
export const maxListedErrors = 1000;
/** Rows read together and written together: BatchGetItem's and TransactWriteItems' limit. */
export const batchSize = 100;
export const defaultConcurrency = 4;
/** Writes of one row on its own while other writes keep changing the same member. */
const writeAttempts = 3;
/** Rounds of BatchGetItem for the keys DynamoDB left unprocessed (it does so when throttled). */
const readAttempts = 8;

type RowOutcome = 'created' | 'updated' | 'unchanged' | { error: string };
type GoodRow = { row: number; member: ImportedMember };

/**
 * Upserts members by phone as the rows are read, a few batches at a time, so memory stays flat
 * however long the file is.
 *
 * A new phone becomes a member exactly as `create` makes one (`joinChannel: 'import'`). An existing
 * member gets only the fields the row gives that differ; balances and tiers are never written. A
 * row with consent opts the phone in (`channel: 'import'`, `ref` the import id) unless it already
 * chose, in a small transaction of its own after its batch: a batch's member writes fill one. Each member keeps `importHash`, the hash of the last row imported into it: a row
 * whose hash is already there changes nothing, so running the same import again writes nothing,
 * and does not undo edits made since. A deleted member is not brought back: the row is refused.
 *
 * Each batch is read with one BatchGetItem and its writes go in TransactWriteItems of up to 100
 * writes (one for a batch without tags), every member write conditional on what was read
 * (BatchWriteItem takes no conditions), a member's tag index items with it. If anything changed in
 * between, a transaction is cancelled whole and its rows are written one by one. Per row that
 * is one read and (transactional, so two units of) write for a new or changed member, and one read
 * for an unchanged one: a re-run only reads.
 */
export async function importMembers(
  db: DynamoDBDocumentClient,
  tables: { members: string },
  merchantId: string,
  rows: AsyncIterable<ImportRow>,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = { rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  const refuse = (row: number, reason: string) => {
    report.failed++;
    if (report.errors.length < maxListedErrors) report.errors.push({ row, reason });
  };
  const writeBatch = batchWriter(db, tables.members, merchantId, options);
  const concurrency = options.concurrency ?? defaultConcurrency;
  const inFlight = new Set<Promise<void>>();
  // A write that fails (not a refused row: DynamoDB unreachable, throttled past retries) stops the import.
  let failure: { error: unknown } | undefined;
  let batch: GoodRow[] = [];
  let phones = new Set<string>();

  const flush = async () => {
    if (batch.length === 0) return;
    const written: Promise<void> = writeBatch(batch)
      .then(
        (outcomes) => {
          for (const { row, outcome } of outcomes) {
            if (typeof outcome === 'string') report[outcome]++;
            else refuse(row, outcome.error);
          }
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inFlight.delete(written));
    inFlight.add(written);
    batch = [];
    phones = new Set();
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  try {
    for await (const row of rows) {
      if (failure) break;
      report.rows++;
      if ('error' in row) {
        refuse(row.row, row.error);
        continue;
      }
      // One batch reads and writes each member once (a transaction may not touch an item twice).
      if (phones.has(row.member.phone)) await flush();
      batch.push(row);
      phones.add(row.member.phone);
      if (batch.length === batchSize) await flush();
    }
    if (!failure) await flush();
  } finally {
    await Promise.all(inFlight);
  }
  if (failure) throw failure.error;
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}

type Write =
  | { Put: { TableName: string; Item: Record<string, unknown>; ConditionExpression?: string } }
  | { Update: ReturnType<ReturnType<typeof rowPlanner>['updateOf']> }
  | { Delete: { TableName: string; Key: Record<string, unknown> } };

/**
 * Rows grouped into transactions of at most 100 writes (TransactWriteItems' limit): each row's member
 * write and its tags' index writes always in the same one.
 */
function transactionsOf<Row extends { writes?: Write[] }>(rows: Row[]): Row[][] {
  const groups: Row[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    const writes = row.writes?.length ?? 0;
    if (size + writes > batchSize) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)?.push(row);
    size += writes;
  }
  return groups;
}

function batchWriter(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  options: ImportOptions,
) {
  const planner = rowPlanner(tableName, merchantId, options);

  async function readMembers(batch: readonly GoodRow[]) {
    const found = new Map<string, Record<string, unknown>>();
    let keys: Record<string, unknown>[] | undefined = batch.map(({ member }) =>
      memberKey(merchantId, member.phone),
    );
    for (let attempt = 1; keys && keys.length > 0; attempt++) {
      if (attempt > readAttempts)
        throw new Error(`DynamoDB left ${keys.length} members unread after ${readAttempts} tries`);
      if (attempt > 1) await pause(attempt);
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[tableName] ?? []) found.set(item.pk as string, item);
      keys = UnprocessedKeys?.[tableName]?.Keys;
    }
    return found;
  }

  /** Writes one row alone, deciding again from the item a failed condition returns (or a fresh read). */
  async function writeAlone(member: ImportedMember, hash: string): Promise<RowOutcome> {
    let item: Record<string, unknown> | undefined;
    for (let attempt = 1; attempt <= writeAttempts; attempt++) {
      const { outcome, writes } = planner.plan(member, hash, item);
      const [write, ...tagWrites] = writes ?? [];
      if (!write) return outcome;
      try {
        const onFailure = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;
        if (tagWrites.length > 0) await db.send(new TransactWriteCommand({ TransactItems: writes }));
        else if ('Put' in write) await db.send(new PutCommand({ ...write.Put, ...onFailure }));
        else if ('Update' in write) await db.send(new UpdateCommand({ ...write.Update, ...onFailure }));
        return outcome;
      } catch (error) {
        if (isConditionFailure(error)) {
          const old = (error as ConditionalCheckFailedException).Item;
          item = old ? unmarshall(old) : undefined;
        } else if (cancellationCodes(error)) {
          item = (await readMembers([{ row: 0, member }])).get(memberKey(merchantId, member.phone).pk);
        } else throw error;
      }
    }
    return { error: 'the member kept changing while the import ran; import the file again' };
  }

  return async (batch: readonly GoodRow[]): Promise<{ row: number; outcome: RowOutcome }[]> => {
    const items = await readMembers(batch);
    const planned = batch.map(({ row, member }) => {
      const hash = importHash(member);
      const plan = planner.plan(member, hash, items.get(memberKey(merchantId, member.phone).pk));
      return { row, member, hash, ...plan };
    });
    await Promise.all(
      transactionsOf(planned.filter((p) => p.writes !== undefined)).map(async (rows) => {
        try {
          await db.send(new TransactWriteCommand({ TransactItems: rows.flatMap((p) => p.writes ?? []) }));
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
          // A member changed (or joined) since the read: nothing was written; each row goes alone.
          const alone = await Promise.all(rows.map((w) => writeAlone(w.member, w.hash)));
          rows.forEach((w, i) => {
            w.outcome = alone[i] ?? w.outcome;
          });
        }
      }),
    );
    await writeOptIns(planned);
    return planned.map(({ row, outcome }) => ({ row, outcome }));
  };

  /** Only for rows that carry consent, so an import without a consent column costs nothing more. */
  async function writeOptIns(rows: readonly { member: ImportedMember; outcome: RowOutcome }[]) {
    await Promise.all(
      rows.flatMap(({ member, outcome }) =>
        member.marketingConsent && typeof outcome === 'string'
          ? [
              recordConsent(
                db,
                tableName,
                merchantId,
                member.phone,
                {
                  status: 'subscribed',
                  changedAt: options.now.toISOString(),
                  channel: 'import',
                  source: member.marketingConsent.source,
                  ref: options.importId,
                },
                { onlyIfFirst: true },
              ),
            ]
          : [],
      ),
    );
  }
}

/** What a row does to the member as read (absent: not a member yet), and the write that does it. */
function rowPlanner(tableName: string, merchantId: string, options: ImportOptions) {
  const joinedAt = options.now.toISOString();

  function putOf(member: ImportedMember, hash: string): Write[] {
    const { item, tagItems } = newMemberItem({
      ...member,
      merchantId,
      memberId: ulid(options.now.getTime(), pooledRandom),
      joinedAt,
      joinChannel: 'import',
      joinRef: options.importId,
      points: 0,
      ...(options.entryTier ? { tier: options.entryTier, earnedTier: options.entryTier } : {}),
    });
    const put = {
      TableName: tableName,
      Item: { ...item, importHash: hash },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    return [{ Put: put }, ...tagItems.map((tagged) => ({ Put: { TableName: tableName, Item: tagged } }))];
  }

  /** The changes, with the hash recorded even when no value differs, so the same row is a no-op next time. */
  function updateOf(
    member: ImportedMember,
    hash: string,
    update: ReturnType<typeof profileUpdate> | undefined,
    tagsAsRead?: ReturnType<typeof tagIndexChange>['guard'],
  ) {
    const setHash = '#importHash = :importHash';
    const guards = [
      update?.ConditionExpression ?? 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
      ...(tagsAsRead ? [tagsAsRead.condition] : []),
    ].join(' AND ');
    return {
      TableName: tableName,
      Key: memberKey(merchantId, member.phone),
      UpdateExpression: update
        ? update.UpdateExpression.replace(/^SET /, `SET ${setHash}, `)
        : `SET ${setHash}`,
      ConditionExpression: `${guards} AND (attribute_not_exists(#importHash) OR #importHash <> :importHash)`,
      ExpressionAttributeNames: {
        ...update?.ExpressionAttributeNames,
        ...tagsAsRead?.names,
        '#importHash': 'importHash',
      },
      ExpressionAttributeValues: {
        ...update?.ExpressionAttributeValues,
        ...tagsAsRead?.values,
        ':importHash': hash,
      },
    };
  }

  function plan(
    member: ImportedMember,
    hash: string,
    item: Record<string, unknown> | undefined,
  ): { outcome: RowOutcome; writes?: Write[] } {
    if (!item) return { outcome: 'created', writes: putOf(member, hash) };
    if (item.deletedAt) {
      return {
        outcome: {
          // The row's number names the phone: the report, kept with the import, quotes no member's phone.
          error: `the member with this phone was deleted at ${item.deletedAt}; an import does not restore a deleted member`,
        },
      };
    }
    if (item.importHash === hash) return { outcome: 'unchanged' };
    const patch = changes(member, item);
    const update = Object.keys(patch).length > 0 ? profileUpdate(patch, item, options.now) : undefined;
    if (update && update.attributeCount > maxCustomAttributes) {
      return {
        outcome: {
          error: `the member would have ${update.attributeCount} custom attributes; at most ${maxCustomAttributes}`,
        },
      };
    }
    const tags = tagIndexChange(tableName, item, patch.tags);
    const guard = tags.writes.length > 0 ? tags.guard : undefined;
    return {
      outcome: update ? 'updated' : 'unchanged',
      writes: [{ Update: updateOf(member, hash, update, guard) }, ...tags.writes],
    };
  }

  return { plan, updateOf };
}

/** The fields the row gives that differ from the member: tags as a set, attributes one by one. */
function changes(member: ImportedMember, item: Record<string, unknown>): MemberPatch {
  const patch: Record<string, unknown> = {};
  for (const field of ['name', 'gender', 'birthday', 'city'] as const) {
    if (member[field] !== undefined && member[field] !== item[field]) patch[field] = member[field];
  }
  const tags = new Set((item.tags ?? []) as string[]);
  if (member.tags && (member.tags.length !== tags.size || member.tags.some((tag) => !tags.has(tag)))) {
    patch.tags = member.tags;
  }
  if (member.attributes) {
    const current = (item.attributes ?? {}) as Record<string, unknown>;
    const differ = Object.entries(member.attributes).filter(([name, value]) => current[name] !== value);
    if (differ.length > 0) patch.attributes = Object.fromEntries(differ);
  }
  return patch as MemberPatch;
}

/** The row's identity: the same fields and values give the same hash whatever their order. */
export function importHash(member: ImportedMember): string {
  const canonical = JSON.stringify([
    member.phone,
    member.name ?? null,
    member.gender ?? null,
    member.birthday ?? null,
    member.city ?? null,
    member.tags ? [...member.tags].sort() : null,
    member.attributes ? Object.entries(member.attributes).sort(([a], [b]) => (a < b ? -1 : 1)) : null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** A jittered, growing pause before asking DynamoDB again for what it left undone. */
function pause(attempt: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * Math.random()));
}

/**
 * ulidx's default draws each random character with its own call into the crypto module, a third of
 * the CPU an imported row takes; these come from a pool of the same random bytes, refilled 4 KiB at a time.
 */
const randomPool = new Uint8Array(4096);
let randomAt = randomPool.length;
function pooledRandom(): number {
  if (randomAt === randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  return (randomPool[randomAt++] ?? 0) / 256;
}
