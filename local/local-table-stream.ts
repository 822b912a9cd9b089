import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface LocalTableStreamOptions {
  /** How often the shards are read while nothing waits on them. */
  pollMs?: number;
  /** The waits before each retry of a failed batch: one attempt more than there are waits. */
  retryDelaysMs?: readonly number[];
}

/**
 * The local stand-in for Lambda's event source mapping on a DynamoDB stream: reads the table's stream
 * in DynamoDB Local, hands each batch of records to the function in the event Lambda gives it, and
 * goes on from a batch's first reported failure after a pause, as Lambda does; a record still failing
 * after the last retry is logged and passed over (Lambda's on-failure destination keeps its place).
 * Shards open when it starts are read from then on (what came before belongs to an earlier run, which
 * published it); shards opened later from their first record.
 */
export async function localTableStream(
  dynamo: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  handle: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>,
  { pollMs = 100, retryDelaysMs = [100, 500] }: LocalTableStreamOptions = {},
) {
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  /**
   * Each open shard's next iterator (undefined once the shard is closed and read to its end), the
   * last record handed over, and, for a shard open at the start, the second before which its records
   * belong to an earlier run.
   */
  const shards = new Map<string, { iterator?: string; lastSeq?: string; skipBefore?: number }>();
  // DynamoDB Local dates records to the minute: one from the minute before the start is kept (and
  // published again, harmlessly: subscribers count each event id once).
  const startedAt = Math.floor(Date.now() / 1000) - 60;

  async function iterator(shardId: string, position: 'LATEST' | 'TRIM_HORIZON' | { after: string }) {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(typeof position === 'string'
          ? { ShardIteratorType: position }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position.after }),
      }),
    );
    return ShardIterator;
  }

  async function discoverShards(atStart: boolean) {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || shards.has(shard.ShardId)) continue;
      shards.set(shard.ShardId, {
        iterator: await iterator(shard.ShardId, atStart ? 'LATEST' : 'TRIM_HORIZON'),
        ...(atStart ? { skipBefore: startedAt } : {}),
      });
    }
  }

  /** Hands the records to the function, again from a reported failure, until done or out of retries. */
  async function deliver(records: StreamRecord[]): Promise<void> {
    let pending = records.map(lambdaRecordOf(streamArn as string));
    for (let attempt = 0; pending.length > 0; attempt++) {
      const answer = await handle({ Records: pending }).catch((error: Error) => ({
        batchItemFailures: [{ itemIdentifier: pending[0]?.dynamodb?.SequenceNumber ?? '' }],
        error,
      }));
      const failed = answer?.batchItemFailures[0]?.itemIdentifier;
      if (!failed) return;
      const from = pending.findIndex((record) => record.dynamodb?.SequenceNumber === failed);
      if (attempt >= retryDelaysMs.length) {
        console.error(`${tableName} stream: records from ${failed} still failed; passed over`, answer);
        return;
      }
      pending = pending.slice(Math.max(0, from));
      await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]));
    }
  }

  /**
   * The next records of a shard. DynamoDB Local numbers stream records across all its tables, so an
   * iterator taken on an empty shard may point at a number the shard never gets, and reading it is
   * refused as trimmed: the shard is then read at once again after its last record handed over (from
   * its first, when none was, leaving out an earlier run's), so a drain never takes the refusal for
   * an empty shard.
   */
  async function nextRecords(
    shardId: string,
    state: { iterator?: string; lastSeq?: string; skipBefore?: number },
  ) {
    const read = async () => {
      const { Records = [], NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 100 }),
      );
      state.iterator = NextShardIterator;
      return Records;
    };
    try {
      return await read();
    } catch (error) {
      if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      state.iterator = await iterator(shardId, state.lastSeq ? { after: state.lastSeq } : 'TRIM_HORIZON');
      return read();
    }
  }

  /** One read of every shard; how many records it handed over. */
  async function readOnce(): Promise<number> {
    await discoverShards(false);
    let count = 0;
    for (const [shardId, state] of shards) {
      if (!state.iterator) continue;
      const records = (await nextRecords(shardId, state)).filter(
        (record) =>
          state.lastSeq !== undefined ||
          state.skipBefore === undefined ||
          (record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000 >= state.skipBefore,
      );
      if (records.length === 0) continue;
      await deliver(records);
      state.lastSeq = records.at(-1)?.dynamodb?.SequenceNumber;
      count += records.length;
    }
    return count;
  }

  // One reader at a time: the poll loop and a caller draining the stream share the iterators.
  let reading: Promise<number> = Promise.resolve(0);
  const read = () => {
    reading = reading.catch(() => 0).then(readOnce);
    return reading;
  };

  await discoverShards(true);
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await read().catch((error) => console.error(`${tableName} stream: read failed`, error));
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();

  return {
    /** Reads until a read finds nothing new; how many records it handed over. */
    async drain(): Promise<number> {
      let total = 0;
      for (;;) {
        const count = await read();
        total += count;
        if (count === 0) return total;
      }
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** A record of the Streams API as Lambda hands it to a function. */
function lambdaRecordOf(streamArn: string) {
  return (record: StreamRecord): DynamoDBRecord => ({
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
    },
  });
}
