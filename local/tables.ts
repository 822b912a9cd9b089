import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type TableDefinition, type TableKey, tables } from '../shared/resources';

/**
 * Creates every declared table that does not exist yet, as CDK declares it, and adds to a table kept
 * from an earlier version (`npm start`'s data folder) the indexes declared since.
 */
export async function createTables(client: DynamoDBClient): Promise<void> {
  await Promise.all(Object.values(tables).map((table) => createTable(client, table)));
}

export async function createTable(client: DynamoDBClient, table: TableDefinition): Promise<void> {
  const keys = [
    { AttributeName: table.partitionKey, KeyType: 'HASH' as const },
    ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
  ];
  const indexes = (table.indexes ?? []).map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    Projection: { ProjectionType: 'ALL' as const },
  }));
  const attributes = new Set(
    [...keys, ...indexes.flatMap((index) => index.KeySchema)].map((key) => key.AttributeName),
  );
  const numeric = new Set((table.indexes ?? []).filter((i) => i.sortKeyType === 'N').map((i) => i.sortKey));
  const definitionOf = (name: string) => ({
    AttributeName: name,
    AttributeType: numeric.has(name) ? ('N' as const) : ('S' as const),
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keys,
        AttributeDefinitions: [...attributes].map(definitionOf),
        GlobalSecondaryIndexes: indexes.length > 0 ? indexes : undefined,
        StreamSpecification: table.stream ? { StreamEnabled: true, StreamViewType: table.stream } : undefined,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    // One index per UpdateTable, as DynamoDB allows, each once the one before is built: a table
    // creates one index at a time, and one with items to read in takes a moment.
    for (const index of indexes.filter((declared) => !present.has(declared.IndexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: index.KeySchema.map((key) => definitionOf(key.AttributeName)),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      await indexesBuilt(client, table.name);
    }
    return;
  }
  if (table.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

/** Resolves once none of the table's indexes is still being created. */
async function indexesBuilt(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const building = (Table?.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus !== 'ACTIVE');
    if (!building) return;
    if (attempt >= 600) throw new Error(`${tableName}: its indexes were still being created after a minute`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A table of the declared kind under a name of its own (`<name>-<suffix>`), for one user of a DynamoDB
 * Local that others share; `drop` deletes it.
 */
export async function ownTable(client: DynamoDBClient, table: TableDefinition) {
  const name = `${table.name}-${randomUUID().slice(0, 8)}`;
  await createTable(client, { ...table, name });
  return {
    name,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: name }));
    },
  };
}

/**
 * The table names a runtime uses: the declared ones, but on a DynamoDB Local others write to too (the
 * tests'), an Outbox of its own: the shared table's stream carries every writer's events, and only the
 * runtime's are its to publish. `drop` deletes what it made its own.
 */
export async function runtimeTables(client: DynamoDBClient, sharedDynamo: boolean) {
  const outbox = sharedDynamo ? await ownTable(client, tables.outbox) : undefined;
  return {
    tableName: (key: TableKey) => (key === 'outbox' && outbox ? outbox.name : tables[key].name),
    drop: async () => outbox?.drop(),
  };
}
