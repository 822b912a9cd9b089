import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditEntrySchema, auditRetentionDays } from '../domain/audit';

/**
 * The audit log, in the Audit table: `pk` the merchant id, `sk` `<ISO time>#<request id>`, so one
 * merchant's entries are read newest first, between two dates, with a Query and never a scan; the
 * `byActor` index (`actorPk` `<merchant>#<staff or key id>`, same `sk`) reads one person's entries.
 * Entries expire after `auditRetentionDays`.
 */
export interface AuditStore {
  record(merchantId: string, entry: AuditEntry): Promise<void>;
  entries(merchantId: string, query: AuditQuery): Promise<AuditPage>;
}

export interface AuditQuery {
  /** Only this staff member's (or API key's) entries. */
  actorId?: string;
  /** ISO instants: entries at or after `from`, before `to`. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  cursor?: string;
}

/** An entry's sort key: what a cursor carries. */
export const auditCursorPattern = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]{1,100}$/;

export function auditStore(db: DynamoDBDocumentClient, tableName: string): AuditStore {
  return {
    async record(merchantId, entry) {
      const sk = `${entry.at}#${entry.requestId}`;
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: merchantId,
            sk,
            actorPk: `${merchantId}#${entry.actor.id}`,
            ...auditEntrySchema.parse(entry),
            expiresAt: Math.floor(Date.parse(entry.at) / 1000) + auditRetentionDays * 86_400,
          },
        }),
      );
    },
    async entries(merchantId, { actorId, from, to, limit, cursor }) {
      const partition = actorId
        ? { IndexName: 'byActor', name: 'actorPk', value: `${merchantId}#${actorId}` }
        : { name: 'pk', value: merchantId };
      // '#' sorts before every digit, so `<to>` bounds every entry made before `to`.
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          ...(partition.IndexName ? { IndexName: partition.IndexName } : {}),
          KeyConditionExpression: '#p = :p AND sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#p': partition.name },
          ExpressionAttributeValues: { ':p': partition.value, ':from': from ?? '0', ':to': to ?? '9' },
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor
            ? {
                ExclusiveStartKey: {
                  pk: merchantId,
                  sk: cursor,
                  ...(actorId ? { actorPk: partition.value } : {}),
                },
              }
            : {}),
        }),
      );
      return {
        entries: Items.map((item) => auditEntrySchema.parse(item)),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk) } : {}),
      };
    },
  };
}
