import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveredText } from '../local/local-sms-gateway';
import type { Runtime } from '../local/runtime';
import { Env, sqsClient } from '../shared/env';
import { tables } from '../shared/resources';

/**
 * The soak's books, kept after the traffic: every text queued is in the outbox, on its record as held
 * back with a reason, or in the DLQ, and nothing else was sent.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type MessageRecord = Record<string, unknown> & { messageId: string; status: string };

/** Every message record of the merchant's, read at rest. */
async function messageRecords(db: DynamoDBDocumentClient, merchantId: string): Promise<MessageRecord[]> {
  const records: MessageRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tables.messages.name,
        FilterExpression: 'merchantId = :merchant',
        ExpressionAttributeValues: { ':merchant': merchantId },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    records.push(...((page.Items ?? []) as MessageRecord[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records;
}

const pendingStatuses = new Set(['sending', 'deferred', 'retrying']);

/** The outbound queue and its dead-letter queue: what is still on its way, and what gave up. */
function outboundQueues(runtime: Runtime) {
  // The local SQS server names its queues by a host that does not resolve; its port is the endpoint's.
  const port = /:(\d+)\//.exec(runtime.dlqUrl)?.[1];
  const sqs = sqsClient(new Env({ AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}` }));
  return {
    async waiting(): Promise<number> {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: runtime.dlqUrl.replace(/-dlq$/, ''),
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      return Object.values(Attributes).reduce((sum, count) => sum + Number(count), 0);
    },
    /** The message ids in the DLQ, each read once and hidden for the rest of the run. */
    async deadLettered(): Promise<Set<string>> {
      const ids = new Set<string>();
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: runtime.dlqUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 3600,
          }),
        );
        if (Messages.length === 0) return ids;
        for (const message of Messages) ids.add(JSON.parse(message.Body ?? '{}').messageId);
      }
    },
  };
}

/** Waits until the queue is empty and no record is on its way, then until receipts and events are in. */
export async function drain(
  runtime: Runtime,
  db: DynamoDBDocumentClient,
  merchantId: string,
  deadlineMs: number,
): Promise<number> {
  const started = Date.now();
  const outbound = outboundQueues(runtime);
  while (Date.now() - started < deadlineMs) {
    const waiting = await outbound.waiting();
    const pending =
      waiting === 0 && (await messageRecords(db, merchantId)).some((r) => pendingStatuses.has(r.status));
    if (waiting === 0 && !pending) break;
    await sleep(500);
  }
  await runtime.carrier.receiptsSettled();
  await runtime.eventsSettled();
  return (Date.now() - started) / 1000;
}

/** What the traffic asked for: the replies owed (inbound id → when it was posted) and the campaign texts. */
export interface Expected {
  owed: ReadonlyMap<string, number>;
  /** Inbound ids of texts owed no reply. */
  unowed: ReadonlySet<string>;
  campaignIds: readonly string[];
  /** Texts the campaigns' fan-outs queued, by their stats. */
  campaignTexts: number;
  /** Every phone the soak texted from: the outbox is read for each. */
  phones: readonly string[];
}

/** Where every queued text went: the counts of "in = out + DLQ", and what breaks it. */
export interface Accounts {
  repliesOwed: number;
  campaignTexts: number;
  otherQueued: number;
  sentInOutbox: number;
  /** Of the texts owed a reply, those whose reply is in the outbox. */
  repliesInOutbox: number;
  heldBack: Record<'suppressed' | 'refused' | 'held' | 'failed', number>;
  inDlq: number;
  /** Each is a way the equation breaks; all are 0 when it holds. */
  faults: Record<string, number>;
  replyLatencyMs: number[];
}

/**
 * Reads every message record of the merchant's, the outbox of every phone and the DLQ once the runtime
 * is at rest, and sorts each queued text into one place: sent (its provider id in the outbox), held
 * back with its reason on record, or in the DLQ.
 */
export async function account(
  runtime: Runtime,
  db: DynamoDBDocumentClient,
  merchantId: string,
  expected: Expected,
): Promise<Accounts> {
  const records = await messageRecords(db, merchantId);
  const byId = new Map(records.map((record) => [record.messageId, record]));
  const outbox = new Map<string, DeliveredText>();
  for (const phone of expected.phones) {
    for (const text of runtime.outbox.to(phone)) outbox.set(text.providerMessageId, text);
  }
  const dlq = await outboundQueues(runtime).deadLettered();
  const campaigns = new Set(expected.campaignIds);
  const replyLatencyMs: number[] = [];
  for (const [inboundId, postedAt] of expected.owed) {
    const sent = outbox.get(String(byId.get(`reply:${inboundId}`)?.providerMessageId));
    if (sent) replyLatencyMs.push(Date.parse(sent.at) - postedAt);
  }
  const heldBack = { suppressed: 0, refused: 0, held: 0, failed: 0 };
  const sentIds = new Set<string>();
  let inDlq = 0;
  let withoutReason = 0;
  for (const record of records) {
    if (record.status === 'sent' && outbox.has(String(record.providerMessageId))) {
      sentIds.add(String(record.providerMessageId));
    } else if (dlq.has(record.messageId)) {
      inDlq += 1;
    } else if (record.status in heldBack) {
      heldBack[record.status as keyof typeof heldBack] += 1;
      if (typeof record.reason !== 'string' || record.reason === '') withoutReason += 1;
    }
  }
  const replies = records.filter((record) => record.messageId.startsWith('reply:'));
  const campaignRecords = records.filter((record) => campaigns.has(String(record.campaignId)));
  return {
    repliesOwed: expected.owed.size,
    campaignTexts: expected.campaignTexts,
    otherQueued: records.length - replies.length - campaignRecords.length,
    sentInOutbox: sentIds.size,
    repliesInOutbox: replyLatencyMs.length,
    heldBack,
    inDlq,
    faults: {
      'texts owed a reply with no record of it': [...expected.owed.keys()].filter(
        (id) => !byId.has(`reply:${id}`),
      ).length,
      'replies to texts owed none': [...expected.unowed].filter((id) => byId.has(`reply:${id}`)).length,
      'campaign texts queued but not on record': expected.campaignTexts - campaignRecords.length,
      'records sent but not in the outbox': records.filter(
        (record) => record.status === 'sent' && !outbox.has(String(record.providerMessageId)),
      ).length,
      'texts in the outbox with no sent record': [...outbox.keys()].filter((id) => !sentIds.has(id)).length,
      'records still on their way': records.filter((record) => pendingStatuses.has(record.status)).length,
      'held back without a reason': withoutReason,
      // An event a subscribed function failed on after its retries: an activity or consent change lost.
      'events a function gave up on': runtime.deadLetters.length,
    },
    replyLatencyMs,
  };
}

export function queuedTotal(a: Accounts): number {
  return a.repliesOwed + a.campaignTexts + a.otherQueued;
}

export function heldBackTotal(a: Accounts): number {
  return Object.values(a.heldBack).reduce((sum, n) => sum + n, 0);
}

export function outTotal(a: Accounts): number {
  return a.sentInOutbox + heldBackTotal(a) + a.inDlq;
}

/** In = out + DLQ, and none of the ways it breaks. */
export function booksBalance(a: Accounts): boolean {
  return queuedTotal(a) === outTotal(a) && Object.values(a.faults).every((count) => count === 0);
}
