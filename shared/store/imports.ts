import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ImportFormat } from '../domain/member-import';
import {
  type ImportReport,
  importIdSchema,
  type MemberImport,
  memberImportSchema,
} from '../schemas/member-import';
import { isConditionFailure } from './transactions';

/**
 * One item per import: `pk` = merchant id, `sk` = import id. Import ids are ULIDs, so a merchant's
 * imports sort by creation time and the newest come first reading the partition backwards.
 *
 * A run claims the import for a lease as long as the function may run (`leaseUntil`), recording the
 * queue message that carries it (`runId`). Another message for the same file, a duplicate S3
 * notification, finds the lease held and does nothing; the same message again means the run that
 * received it ended without finishing, so it claims the import again, as does any message once the
 * lease has passed. Progress and the outcome are written only by the run holding the claim.
 */
const keyOf = (merchantId: string, importId: string) => ({ pk: merchantId, sk: importId });

/** Reasons are cut to this length, and the listed errors to this many bytes: an item holds 400 KB. */
const maxReasonLength = 300;
const maxErrorBytes = 300_000;

export interface NewImport {
  merchantId: string;
  importId: string;
  format: ImportFormat;
  createdAt: string;
  uploadExpiresAt: string;
}

export interface ImportsPage {
  /** Newest first, without their row errors. */
  imports: Omit<MemberImport, 'errors'>[];
  /** Present while there may be more. */
  cursor?: string;
}

export interface ImportClaim {
  merchantId: string;
  importId: string;
  /** The queue message carrying the upload notification. */
  runId: string;
}

export interface ImportsStore {
  /** The import as stored: waiting for its file. */
  create(record: NewImport): Promise<MemberImport>;
  get(merchantId: string, importId: string): Promise<MemberImport | undefined>;
  /** A page of the merchant's imports, newest first; `cursor` is an import id of the previous page. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<ImportsPage>;
  /**
   * Marks the import `running` for this run, unless another run holds it or it has finished;
   * returns the import as claimed, or undefined when this run must do nothing.
   */
  claim(claim: ImportClaim, now: Date, leaseSeconds: number): Promise<MemberImport | undefined>;
  progress(claim: ImportClaim, rowsRead: number): Promise<void>;
  finish(claim: ImportClaim, report: ImportReport, now: Date): Promise<void>;
  fail(claim: ImportClaim, reason: string, now: Date): Promise<void>;
}

/** Every listed attribute but the row errors, which may take hundreds of KB per import. */
const summaryAttributes = () => Object.keys(memberImportSchema.shape).filter((name) => name !== 'errors');

export function importsStore(db: DynamoDBDocumentClient, tableName: string): ImportsStore {
  const parse = (item: Record<string, unknown>) => memberImportSchema.parse(item);

  /** An update made only while this run holds the import; a run that lost it changes nothing. */
  async function asClaimHolder(claim: ImportClaim, set: Record<string, unknown>, remove: string[] = []) {
    const names: Record<string, string> = { '#status': 'status', '#runId': 'runId' };
    const values: Record<string, unknown> = { ':running': 'running', ':runId': claim.runId };
    const assignments = Object.entries(set).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
    for (const name of remove) names[`#${name}`] = name;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(claim.merchantId, claim.importId),
          UpdateExpression: [
            `SET ${assignments.join(', ')}`,
            ...(remove.length > 0 ? [`REMOVE ${remove.map((name) => `#${name}`).join(', ')}`] : []),
          ].join(' '),
          ConditionExpression: '#status = :running AND #runId = :runId',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    async create(record) {
      const created: MemberImport = { ...record, status: 'awaiting-upload' };
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keyOf(record.merchantId, record.importId), ...created },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return created;
    },

    async get(merchantId, importId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: keyOf(merchantId, importId), ConsistentRead: true }),
      );
      return Item ? parse(Item) : undefined;
    },

    async list(merchantId, { limit, cursor }) {
      const start = cursor === undefined ? undefined : importIdSchema.parse(cursor);
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': merchantId },
          ProjectionExpression: summaryAttributes()
            .map((name) => `#${name}`)
            .join(', '),
          ExpressionAttributeNames: Object.fromEntries(summaryAttributes().map((name) => [`#${name}`, name])),
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: keyOf(merchantId, start) } : {}),
        }),
      );
      const imports = Items.map(parse);
      return { imports, ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk) } : {}) };
    },

    async claim(claim, now, leaseSeconds) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(claim.merchantId, claim.importId),
            UpdateExpression:
              'SET #status = :running, #runId = :runId, #leaseUntil = :leaseUntil, #startedAt = :now, #rowsRead = :zero',
            ConditionExpression:
              'attribute_exists(pk) AND (#status = :awaiting OR (#status = :running AND (#runId = :runId OR #leaseUntil < :now)))',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#runId': 'runId',
              '#leaseUntil': 'leaseUntil',
              '#startedAt': 'startedAt',
              '#rowsRead': 'rowsRead',
            },
            ExpressionAttributeValues: {
              ':running': 'running',
              ':awaiting': 'awaiting-upload',
              ':runId': claim.runId,
              ':now': now.toISOString(),
              ':leaseUntil': new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
              ':zero': 0,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? parse(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async progress(claim, rowsRead) {
      await asClaimHolder(claim, { rowsRead });
    },

    async finish(claim, report, now) {
      const { errors, ...counts } = report;
      await asClaimHolder(
        claim,
        {
          status: 'done',
          counts,
          errors: listable(errors),
          rowsRead: counts.rows,
          finishedAt: now.toISOString(),
        },
        ['leaseUntil'],
      );
    },

    async fail(claim, reason, now) {
      await asClaimHolder(claim, { status: 'failed', reason, finishedAt: now.toISOString() }, ['leaseUntil']);
    },
  };
}

/** The row errors an item can hold: reasons cut short, and no more than the byte budget. */
function listable(errors: ImportReport['errors']): ImportReport['errors'] {
  const listed: ImportReport['errors'] = [];
  let bytes = 0;
  for (const { row, reason } of errors) {
    const short = reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength - 1)}…` : reason;
    bytes += Buffer.byteLength(short) + 16;
    if (bytes > maxErrorBytes) break;
    listed.push({ row, reason: short });
  }
  return listed;
}
