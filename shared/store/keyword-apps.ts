import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { appWords } from '../domain/keyword-app';
import { type KeywordApp, keywordAppSchema } from '../schemas/keyword-app';
import { cancellationCodes, retryConflicts } from './transactions';

/**
 * Keyword apps live in the Engagement table. A merchant's apps and the words they own share the
 * partition `<merchantId>#KEYWORD-APPS`:
 * - `APP#<appId>`: the app, with `version`, raised by every change, for optimistic concurrency;
 * - `WORD#<word, folded>`: `{ appId }`, one per keyword and alias, so a text finds its app by key and
 *   two apps cannot hold one word: words are written with their app, each only if no item has it.
 * Each app's uses are in `<merchantId>#KEYWORD-APP#<appId>`, `USE#<inbound message id>`: written with
 * the app's `uses` count, only if absent, so a text delivered twice counts once.
 */
export const keywordAppsPartition = (merchantId: string) => `${merchantId}#KEYWORD-APPS`;
const partitionOf = keywordAppsPartition;
export const appPrefix = 'APP#';
const appKey = (merchantId: string, appId: string) => ({
  pk: partitionOf(merchantId),
  sk: `${appPrefix}${appId}`,
});
const wordKey = (merchantId: string, word: string) => ({ pk: partitionOf(merchantId), sk: `WORD#${word}` });
export const appUseKey = (merchantId: string, appId: string, inboundMessageId: string) => ({
  pk: `${merchantId}#KEYWORD-APP#${appId}`,
  sk: `USE#${inboundMessageId}`,
});

/** One of the app's words belongs to another app of the merchant. */
export interface WordTaken {
  status: 'word-taken';
  /** Folded, as matched. */
  word: string;
  owner: { appId: string; name: string };
}

export type SaveOutcome =
  | { status: 'saved'; app: KeywordApp }
  | WordTaken
  | { status: 'not-found' }
  /** Another change to the app, or to the same words, kept landing at the same moment. */
  | { status: 'conflict' };

export interface KeywordAppsPage {
  apps: KeywordApp[];
  /** Present while there may be more: the last app id of this page. */
  cursor?: string;
}

export interface KeywordAppsStore {
  /** Saves a new app with its words; refused when another app has one of them. */
  create(app: KeywordApp): Promise<Exclude<SaveOutcome, { status: 'not-found' }>>;
  get(merchantId: string, appId: string): Promise<KeywordApp | undefined>;
  /** A page of the merchant's apps, oldest first. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<KeywordAppsPage>;
  /**
   * Changes the app to what `edit` makes of it as it is now (uses aside, which only texts count):
   * words it no longer has are freed, new ones taken. `edit` may run again if the app changed meanwhile.
   */
  update(merchantId: string, appId: string, edit: (app: KeywordApp) => KeywordApp): Promise<SaveOutcome>;
  /** Deletes the app and frees its words, answering it as it was; undefined when there was none. */
  delete(merchantId: string, appId: string): Promise<KeywordApp | undefined>;
  /** The app holding the first of `words` (folded) that any app holds, enabled or not. */
  appFor(merchantId: string, words: readonly string[]): Promise<KeywordApp | undefined>;
  /** Counts one use of the app by an inbound text; the same text again counts nothing. */
  recordUse(
    merchantId: string,
    appId: string,
    use: { inboundMessageId: string; phone: string; at: Date },
  ): Promise<'counted' | 'replayed'>;
}

/** Attempts at a change while others change the same app or words. */
const attempts = 3;

type Stored = { app: KeywordApp; version: number };

export function keywordAppsStore(db: DynamoDBDocumentClient, tableName: string): KeywordAppsStore {
  const parse = ({ pk: _pk, sk: _sk, version: _version, ...item }: Record<string, unknown>) =>
    keywordAppSchema.parse(item);

  const read = async (key: Record<string, string>) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  const stored = async (merchantId: string, appId: string): Promise<Stored | undefined> => {
    const item = await read(appKey(merchantId, appId));
    return item ? { app: parse(item), version: Number(item.version) } : undefined;
  };

  /** Who holds a word now; undefined when no app does (it was freed meanwhile). */
  const ownerOf = async (merchantId: string, word: string): Promise<WordTaken | undefined> => {
    const holder = await read(wordKey(merchantId, word));
    const owner = holder && (await stored(merchantId, String(holder.appId)));
    return owner
      ? { status: 'word-taken', word, owner: { appId: owner.app.appId, name: owner.app.name } }
      : undefined;
  };

  const takeWord = (merchantId: string, appId: string, word: string) => ({
    Put: {
      TableName: tableName,
      Item: { ...wordKey(merchantId, word), appId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const freeWord = (merchantId: string, appId: string, word: string) => ({
    Delete: {
      TableName: tableName,
      Key: wordKey(merchantId, word),
      ConditionExpression: 'appId = :appId',
      ExpressionAttributeValues: { ':appId': appId },
    },
  });

  /**
   * Runs a transaction whose first item is the app and whose items from `firstWord` on take `words`.
   * A refused word is reported with its owner; a refused app means it changed: try again.
   */
  const write = async (
    merchantId: string,
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
    words: string[],
    firstWord: number,
  ): Promise<'written' | 'again' | WordTaken> => {
    try {
      await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })));
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      const refused = codes.findIndex((code, i) => i >= firstWord && code === 'ConditionalCheckFailed');
      const word = refused === -1 ? undefined : words[refused - firstWord];
      return (word !== undefined && (await ownerOf(merchantId, word))) || 'again';
    }
  };

  return {
    async create(app) {
      const words = appWords(app);
      const item = { ...appKey(app.merchantId, app.appId), ...keywordAppSchema.parse(app), version: 1 };
      for (let attempt = 0; attempt < attempts; attempt++) {
        const outcome = await write(
          app.merchantId,
          [
            { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...words.map((word) => takeWord(app.merchantId, app.appId, word)),
          ],
          words,
          1,
        );
        if (outcome === 'written') return { status: 'saved', app };
        if (outcome !== 'again') return outcome;
      }
      return { status: 'conflict' };
    },

    async get(merchantId, appId) {
      return (await stored(merchantId, appId))?.app;
    },

    async list(merchantId, { limit, cursor }) {
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partitionOf(merchantId), ':prefix': appPrefix },
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: appKey(merchantId, cursor) } : {}),
        }),
      );
      return {
        apps: Items.map(parse),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk).slice(appPrefix.length) } : {}),
      };
    },

    async update(merchantId, appId, edit) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const current = await stored(merchantId, appId);
        if (!current) return { status: 'not-found' };
        const next = keywordAppSchema.parse({
          ...edit(current.app),
          merchantId,
          appId,
          uses: current.app.uses,
        });
        const before = appWords(current.app);
        const after = appWords(next);
        const taken = after.filter((word) => !before.includes(word));
        const freed = before.filter((word) => !after.includes(word));
        const { merchantId: _m, appId: _a, uses: _u, reply, ...fields } = next;
        const names = Object.fromEntries(Object.keys(fields).map((name) => [`#${name}`, name]));
        const values = Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value]));
        const set = Object.keys(fields).map((name) => `#${name} = :${name}`);
        const outcome = await write(
          merchantId,
          [
            {
              Update: {
                TableName: tableName,
                Key: appKey(merchantId, appId),
                // `uses` is left alone: texts count it while the merchant edits.
                UpdateExpression: `SET ${[...set, ...(reply ? ['#reply = :reply'] : []), 'version = :next'].join(', ')}${reply ? '' : ' REMOVE #reply'}`,
                ConditionExpression: 'version = :version',
                ExpressionAttributeNames: { ...names, '#reply': 'reply' },
                ExpressionAttributeValues: {
                  ...values,
                  ...(reply ? { ':reply': reply } : {}),
                  ':version': current.version,
                  ':next': current.version + 1,
                },
              },
            },
            ...freed.map((word) => freeWord(merchantId, appId, word)),
            ...taken.map((word) => takeWord(merchantId, appId, word)),
          ],
          taken,
          1 + freed.length,
        );
        if (outcome === 'written') return { status: 'saved', app: next };
        if (outcome !== 'again') return outcome;
      }
      return { status: 'conflict' };
    },

    async delete(merchantId, appId) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const current = await stored(merchantId, appId);
        if (!current) return undefined;
        const outcome = await write(
          merchantId,
          [
            {
              Delete: {
                TableName: tableName,
                Key: appKey(merchantId, appId),
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': current.version },
              },
            },
            ...appWords(current.app).map((word) => freeWord(merchantId, appId, word)),
          ],
          [],
          Number.POSITIVE_INFINITY,
        );
        if (outcome === 'written') return current.app;
      }
      throw new Error(`keyword app ${appId} kept changing while it was being deleted`);
    },

    async appFor(merchantId, words) {
      if (words.length === 0) return undefined;
      const keys = [...new Set(words)].map((word) => wordKey(merchantId, word));
      const found = new Map<string, string>();
      let pending: Record<string, unknown>[] | undefined = keys;
      // BatchGet may leave keys unprocessed under load; they are asked for again.
      while (pending?.length) {
        const page: BatchGetCommandOutput = await db.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of page.Responses?.[tableName] ?? []) found.set(String(item.sk), String(item.appId));
        pending = page.UnprocessedKeys?.[tableName]?.Keys;
      }
      const appId = keys.map((key) => found.get(key.sk)).find((id) => id !== undefined);
      return appId === undefined ? undefined : (await stored(merchantId, appId))?.app;
    },

    async recordUse(merchantId, appId, { inboundMessageId, phone, at }) {
      try {
        await retryConflicts(() =>
          db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...appUseKey(merchantId, appId, inboundMessageId), phone, at: at.toISOString() },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Update: {
                    TableName: tableName,
                    Key: appKey(merchantId, appId),
                    UpdateExpression: 'ADD uses :one',
                    ConditionExpression: 'attribute_exists(pk)',
                    ExpressionAttributeValues: { ':one': 1 },
                  },
                },
              ],
            }),
          ),
        );
        return 'counted';
      } catch (error) {
        const codes = cancellationCodes(error);
        // Counted before (the first item), or the app was deleted since it was read: nothing to count.
        if (codes?.includes('ConditionalCheckFailed')) return 'replayed';
        throw error;
      }
    },
  };
}
