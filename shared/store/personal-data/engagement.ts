import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { erasedText, type Pseudonyms } from '../../domain/phone-proof';
import { type SurveyAnswerValue, surveyAnswerSchema } from '../../schemas/survey';
import { type Ticket, ticketSchema } from '../../schemas/ticket';
import { appPrefix, appUseKey, keywordAppsPartition } from '../keyword-apps';
import { queryAll } from '../paging';
import { answersOf, collected, surveySessionKey } from '../surveys';
import { ticketPrefix, ticketsPartition } from '../tickets';
import { writeAll } from './members';

/**
 * A phone's tickets, survey answers and keyword uses in the Engagement table. Tickets and answers
 * sit in partitions of the merchant or of a survey, not of the phone, so they are read with the phone
 * as a filter: a merchant's tickets and each survey's answers, read once per request (rare: an export
 * or an erasure), never on a text's path.
 */
const byPhone = { FilterExpression: 'phone = :phone' };

function ticketsOf(db: DynamoDBDocumentClient, tableName: string, merchantId: string, phone: string) {
  return queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ticket)',
    ...byPhone,
    ExpressionAttributeValues: {
      ':pk': ticketsPartition(merchantId),
      ':ticket': ticketPrefix,
      ':phone': phone,
    },
  });
}

async function surveyIds(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :survey)',
    ExpressionAttributeValues: { ':pk': merchantId, ':survey': 'SURVEY#' },
    ProjectionExpression: 'surveyId',
  })) {
    ids.push(item.surveyId as string);
  }
  return ids;
}

/** Each survey's items of the phone: its progress (`MEMBER#<phone>`) and its answers. */
async function* surveyItemsOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
) {
  for (const surveyId of await surveyIds(db, tableName, merchantId)) {
    yield* queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ...byPhone,
      ExpressionAttributeValues: { ':pk': collected(merchantId, surveyId), ':phone': phone },
    });
  }
}

async function appIds(db: DynamoDBDocumentClient, tableName: string, merchantId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :app)',
    ExpressionAttributeValues: { ':pk': keywordAppsPartition(merchantId), ':app': appPrefix },
    ProjectionExpression: 'appId',
  })) {
    ids.push(item.appId as string);
  }
  return ids;
}

async function* keywordUsesOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
) {
  for (const appId of await appIds(db, tableName, merchantId)) {
    for await (const use of queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ...byPhone,
      ExpressionAttributeValues: { ':pk': appUseKey(merchantId, appId, '').pk, ':phone': phone },
    })) {
      yield { appId, ...use } as Record<string, unknown> & { appId: string };
    }
  }
}

const withoutKeys = ({ pk: _pk, sk: _sk, merchantId: _merchant, ...item }: Record<string, unknown>) => item;

export interface EngagementExport {
  tickets: Record<string, unknown>[];
  surveyAnswers: Record<string, unknown>[];
  surveyProgress: Record<string, unknown>[];
  keywordUses: Record<string, unknown>[];
}

export async function engagementOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
): Promise<EngagementExport> {
  const found: EngagementExport = { tickets: [], surveyAnswers: [], surveyProgress: [], keywordUses: [] };
  for await (const ticket of ticketsOf(db, tableName, merchantId, phone))
    found.tickets.push(withoutKeys(ticket));
  for await (const item of surveyItemsOf(db, tableName, merchantId, phone)) {
    (String(item.sk).startsWith('ANSWER#') ? found.surveyAnswers : found.surveyProgress).push(
      withoutKeys(item),
    );
  }
  for await (const use of keywordUsesOf(db, tableName, merchantId, phone)) {
    const { appId, sk, at } = use;
    found.keywordUses.push({ appId, inboundMessageId: String(sk).slice('USE#'.length), at });
  }
  return found;
}

/** A survey answer's value without the member's words: choices and ratings stay for the results. */
function erasedValue(value: SurveyAnswerValue): SurveyAnswerValue {
  if (value.kind === 'text') return { kind: 'text', text: erasedText };
  if (value.kind === 'skipped') return { kind: 'skipped', wrote: erasedText };
  return value;
}

export interface EngagementErasure {
  tickets: number;
  surveyAnswers: number;
  keywordUses: number;
}

/**
 * Tickets keep their type, number, dates and status (the merchant's own figures) under the phone's
 * proof, the member's text and every answer's text replaced; survey answers and progress move under
 * the proof with choices and ratings kept (the results still add up) and free text replaced; keyword
 * uses keep their count under the proof; the survey the phone was answering is dropped.
 */
export async function eraseFromEngagement(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  { phone, proof }: Pseudonyms,
): Promise<EngagementErasure> {
  const erased: EngagementErasure = { tickets: 0, surveyAnswers: 0, keywordUses: 0 };
  for await (const item of ticketsOf(db, tableName, merchantId, phone)) {
    const ticket: Ticket = ticketSchema.parse(item);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET phone = :proof, message = :erased, answers = :answers',
        ExpressionAttributeValues: {
          ':proof': proof,
          ':erased': erasedText,
          ':answers': ticket.answers.map((answer) => ({ ...answer, text: erasedText })),
        },
      }),
    );
    erased.tickets += 1;
  }

  const moves: Record<string, unknown>[] = [];
  for await (const item of surveyItemsOf(db, tableName, merchantId, phone)) {
    const sk = String(item.sk);
    if (sk.startsWith('ANSWER#')) {
      const answer = surveyAnswerSchema.parse(item);
      const sortKey = `${answersOf(answer.question)}${answer.answeredAt}#${proof}`;
      moves.push({
        PutRequest: { Item: { ...item, sk: sortKey, phone: proof, value: erasedValue(answer.value) } },
      });
      erased.surveyAnswers += 1;
    } else {
      moves.push({ PutRequest: { Item: { ...item, sk: `MEMBER#${proof}`, phone: proof } } });
    }
    moves.push({ DeleteRequest: { Key: { pk: item.pk, sk } } });
  }
  moves.push({ DeleteRequest: { Key: surveySessionKey(merchantId, phone) } });
  await writeAll(db, tableName, moves);

  for await (const use of keywordUsesOf(db, tableName, merchantId, phone)) {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: use.pk, sk: use.sk },
        UpdateExpression: 'SET phone = :proof',
        ExpressionAttributeValues: { ':proof': proof },
      }),
    );
    erased.keywordUses += 1;
  }
  return erased;
}
