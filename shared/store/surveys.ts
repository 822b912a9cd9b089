import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  maxSurveyCampaigns,
  type Survey,
  type SurveyAnswer,
  type SurveyProgress,
  type SurveySession,
  type SurveyTally,
  surveyAnswerSchema,
  surveyIdSchema,
  surveyProgressSchema,
  surveySchema,
  surveySessionSchema,
} from '../schemas/survey';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * Surveys in the Engagement table. Every partition key begins with the merchant id:
 *
 * - `pk` = `<merchant>`, `sk` = `SURVEY#<surveyId>`: the survey (a ULID, so the newest sorts last).
 * - `pk` = `<merchant>#<phone>`, `sk` = `SURVEY`: the survey the phone is answering now, one at a time:
 *   a text from the phone is looked up by this one key, whatever it says.
 * - `pk` = `<merchant>#SURVEY#<surveyId>`: everything one survey collects, so a popular survey spreads
 *   over partitions of its own rather than the merchant's:
 *   - `sk` = `MEMBER#<phone>`: the member's progress;
 *   - `sk` = `ANSWER#<question, 2 digits>#<answeredAt>#<phone>`: each answer, a question's newest last;
 *   - `sk` = `TALLY`: the counters the results read. Answers come at the pace people type, far below
 *     one item's write rate, so one item takes them all; transactions that meet there go again.
 */
const surveyKey = (merchantId: string, surveyId: string) => ({ pk: merchantId, sk: `SURVEY#${surveyId}` });
export const surveySessionKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'SURVEY',
});
export const collected = (merchantId: string, surveyId: string) => `${merchantId}#SURVEY#${surveyId}`;
const progressKey = (merchantId: string, surveyId: string, phone: string) => ({
  pk: collected(merchantId, surveyId),
  sk: `MEMBER#${phone}`,
});
export const answersOf = (question: number) => `ANSWER#${String(question).padStart(2, '0')}#`;
const answerKey = (merchantId: string, answer: SurveyAnswer) => ({
  pk: collected(merchantId, answer.surveyId),
  sk: `${answersOf(answer.question)}${answer.answeredAt}#${answer.phone}`,
});
const tallyKey = (merchantId: string, surveyId: string) => ({
  pk: collected(merchantId, surveyId),
  sk: 'TALLY',
});

export interface SurveysPage {
  surveys: Survey[];
  /** Present while there may be more: the last survey id of this page. */
  cursor?: string;
}

/** A member's move through a survey, written at once (see `SurveysStore.saveTurn`). */
export interface SurveyTurnWrite {
  merchantId: string;
  /** The progress as read and decided on; undefined when the member had none. */
  from?: SurveyProgress;
  /** The progress after the move; its `version` is one more than `from`'s (1 when new). */
  to: SurveyProgress;
  answer?: SurveyAnswer;
  counts: SurveyTally;
  /** Opens the survey for the phone, as a keyword start does. */
  session?: SurveySession;
}

export interface SurveysStore {
  /** A new survey; `false` when one with its id exists (the caller's id sent again), written nothing. */
  create(survey: Survey): Promise<boolean>;
  get(merchantId: string, surveyId: string): Promise<Survey | undefined>;
  /** A page of the merchant's surveys, newest first; `cursor` is the last id of the previous page. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<SurveysPage>;
  /** Closes the survey (closing it again changes nothing); undefined when there is none. */
  close(merchantId: string, surveyId: string, at: Date): Promise<Survey | undefined>;
  /**
   * Records that a campaign sends the survey, for the response rate. False when the survey is closed,
   * gone, or already goes out with `maxSurveyCampaigns` campaigns; adding one twice adds it once.
   */
  addCampaign(merchantId: string, surveyId: string, campaignId: string, at: Date): Promise<boolean>;
  /** Opens a survey for each phone, replacing the one it had; the same sessions written again change nothing. */
  openSessions(merchantId: string, sessions: (SurveySession & { phone: string })[]): Promise<void>;
  /** The survey the phone is answering, open or not (the caller checks `expiresAt`). */
  session(merchantId: string, phone: string): Promise<SurveySession | undefined>;
  progress(merchantId: string, surveyId: string, phone: string): Promise<SurveyProgress | undefined>;
  /**
   * A member's move: the progress, the answer, the counters and the session, in one transaction,
   * made only if the progress is still as it was read (`from`'s version, or none). That condition is
   * the idempotency key of every answer: the same text handled twice, or two texts at once, find the
   * progress moved on and write nothing. False when it had.
   */
  saveTurn(turn: SurveyTurnWrite): Promise<boolean>;
  tally(merchantId: string, surveyId: string): Promise<SurveyTally>;
  /** A question's latest answers, newest first. */
  answers(merchantId: string, surveyId: string, question: number, limit: number): Promise<SurveyAnswer[]>;
}

/** Items in one BatchWriteItem request, and requests of one call in flight at once. */
const batchSize = 25;
const batchStreams = 4;
const batchAttempts = 5;

export function surveysStore(db: DynamoDBDocumentClient, tableName: string): SurveysStore {
  const parse = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => surveySchema.parse(item);
  const read = async (Key: Record<string, string>) =>
    (await db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
  const get = async (merchantId: string, surveyId: string) => {
    const item = await read(surveyKey(merchantId, surveyId));
    return item ? parse(item) : undefined;
  };

  /** Puts the items, retrying what DynamoDB leaves unprocessed under load. */
  async function putAll(items: Record<string, unknown>[]) {
    const batches = Array.from({ length: Math.ceil(items.length / batchSize) }, (_, i) =>
      items.slice(i * batchSize, (i + 1) * batchSize),
    );
    let next = 0;
    const stream = async () => {
      for (let i = next++; i < batches.length; i = next++) {
        let requests = (batches[i] ?? []).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 1; requests.length > 0; attempt++) {
          if (attempt > batchAttempts) throw new Error(`${requests.length} survey sessions were not written`);
          if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    };
    await Promise.all(Array.from({ length: batchStreams }, stream));
  }

  return {
    async create(survey) {
      // The idempotency key is the survey id: the client's, or one made for the request.
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...surveyKey(survey.merchantId, survey.surveyId), ...surveySchema.parse(survey) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    get,

    async list(merchantId, { limit, cursor }) {
      const start = cursor === undefined ? undefined : surveyIdSchema.parse(cursor);
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :survey)',
          ExpressionAttributeValues: { ':pk': merchantId, ':survey': 'SURVEY#' },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: surveyKey(merchantId, start) } : {}),
        }),
      );
      return {
        surveys: Items.map(parse),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk).slice('SURVEY#'.length) } : {}),
      };
    },

    async close(merchantId, surveyId, at) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: surveyKey(merchantId, surveyId),
            UpdateExpression: 'SET #status = :closed, closedAt = :at, updatedAt = :at',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': at.toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return parse(Attributes ?? {});
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return get(merchantId, surveyId);
      }
    },

    async addCampaign(merchantId, surveyId, campaignId, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: surveyKey(merchantId, surveyId),
            UpdateExpression:
              'SET campaignIds = list_append(if_not_exists(campaignIds, :none), :campaign), updatedAt = :at',
            ConditionExpression:
              '#status = :open AND NOT contains(campaignIds, :id) AND ' +
              '(attribute_not_exists(campaignIds) OR size(campaignIds) < :max)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':none': [],
              ':campaign': [campaignId],
              ':id': campaignId,
              ':open': 'open',
              ':max': maxSurveyCampaigns,
              ':at': at.toISOString(),
            },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const survey = await get(merchantId, surveyId);
        return survey?.status === 'open' && survey.campaignIds.includes(campaignId);
      }
    },

    async openSessions(merchantId, sessions) {
      await putAll(
        sessions.map(({ phone, ...session }) => ({
          ...surveySessionKey(merchantId, phone),
          ...surveySessionSchema.parse(session),
        })),
      );
    },

    async session(merchantId, phone) {
      const item = await read(surveySessionKey(merchantId, phone));
      if (!item) return undefined;
      const { pk: _pk, sk: _sk, ...session } = item;
      return surveySessionSchema.parse(session);
    },

    async progress(merchantId, surveyId, phone) {
      const item = await read(progressKey(merchantId, surveyId, phone));
      if (!item) return undefined;
      const { pk: _pk, sk: _sk, ...progress } = item;
      return surveyProgressSchema.parse(progress);
    },

    async saveTurn({ merchantId, from, to, answer, counts, session }) {
      const counters = Object.entries(counts).filter(([, n]) => n !== 0);
      const transactItems = [
        {
          Put: {
            TableName: tableName,
            Item: { ...progressKey(merchantId, to.surveyId, to.phone), ...surveyProgressSchema.parse(to) },
            ConditionExpression: from ? 'version = :version' : 'attribute_not_exists(pk)',
            ...(from ? { ExpressionAttributeValues: { ':version': from.version } } : {}),
          },
        },
        ...(answer
          ? [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...answerKey(merchantId, answer), ...surveyAnswerSchema.parse(answer) },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
        ...(counters.length > 0
          ? [
              {
                Update: {
                  TableName: tableName,
                  Key: tallyKey(merchantId, to.surveyId),
                  // Counter names hold '.', so each is a placeholder; ADD starts a missing counter at 0.
                  UpdateExpression: `ADD ${counters.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
                  ExpressionAttributeNames: Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name])),
                  ExpressionAttributeValues: Object.fromEntries(counters.map(([, n], i) => [`:c${i}`, n])),
                },
              },
            ]
          : []),
        ...(session
          ? [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...surveySessionKey(merchantId, to.phone), ...surveySessionSchema.parse(session) },
                },
              },
            ]
          : []),
      ];
      try {
        await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: transactItems })));
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return false;
        throw error;
      }
    },

    async tally(merchantId, surveyId) {
      const item = await read(tallyKey(merchantId, surveyId));
      const tally: SurveyTally = {};
      for (const [name, value] of Object.entries(item ?? {})) {
        if (typeof value === 'number') tally[name] = value;
      }
      return tally;
    },

    async answers(merchantId, surveyId, question, limit) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :answers)',
          ExpressionAttributeValues: {
            ':pk': collected(merchantId, surveyId),
            ':answers': answersOf(question),
          },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map(({ pk: _pk, sk: _sk, ...answer }) => surveyAnswerSchema.parse(answer));
    },
  };
}
