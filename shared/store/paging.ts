import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** Every item a Query matches, page after page (DynamoDB answers at most 1 MB at a time). */
export async function* queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item a Query matches, as a list, without the attributes named (its keys, say). */
export async function listAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  without: readonly string[],
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of queryAll(db, input)) {
    items.push(Object.fromEntries(Object.entries(item).filter(([name]) => !without.includes(name))));
  }
  return items;
}

/**
 * How many items a Query matches, counted by DynamoDB page after page: no item comes back, but each
 * page still costs the reads of the items it counted.
 */
export async function countAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Every item a Scan matches, page after page; only for small tables such as the Directory. */
export async function* scanAll(db: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
