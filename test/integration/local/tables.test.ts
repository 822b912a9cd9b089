import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createTable } from '../../../local/tables';
import { Env } from '../../../shared/env';
import { tables } from '../../../shared/resources';

/** `npm start` keeps its tables between runs: one made by an earlier version gets the indexes declared since. */
const env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint') });
const client = env.dynamoClient();

const indexesOf = async (name: string) =>
  ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? [])
    .map((index) => index.IndexName)
    .sort();

describe('local tables', () => {
  it('adds to a table kept from before the indexes declared since, and changes nothing the next time', async () => {
    const declared = { ...tables.members, name: `kept-members-${Date.now()}` };
    const wanted = (declared.indexes ?? []).map((index) => index.name).sort();
    expect(wanted.length).toBeGreaterThan(1);
    await createTable(client, { ...declared, indexes: declared.indexes?.slice(0, 1) });
    expect(await indexesOf(declared.name)).toEqual([declared.indexes?.[0]?.name]);

    // An item written before the index: the index reads it once added.
    const item = { pk: 'm1#+8613800000000', sk: 'MEMBER', filterPk: 'm1#tier#gold', listSk: '2026-01-01' };
    await env.dynamo().send(new PutCommand({ TableName: declared.name, Item: item }));
    await createTable(client, declared);
    expect(await indexesOf(declared.name)).toEqual(wanted);
    const { Items } = await env.dynamo().send(
      new QueryCommand({
        TableName: declared.name,
        IndexName: 'byTierOrTag',
        KeyConditionExpression: 'filterPk = :pk',
        ExpressionAttributeValues: { ':pk': item.filterPk },
      }),
    );
    expect(Items).toEqual([item]);
    await createTable(client, declared);
    expect(await indexesOf(declared.name)).toEqual(wanted);
  });
});
