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

/** Every item a Scan matches, page after page; only for small tables such as the Directory. */
export async function* scanAll(db: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
