import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type SmsProvider, SmsProviderError } from '../shared/sms/provider';

/**
 * Faults the local runtime brings into its functions, to show what the system promises under them:
 * every text sent once or kept in the DLQ with its reason, no points lost or doubled, no greeting
 * sent twice. Each fault is drawn from a seeded random, so a run can be repeated.
 */
export interface Faults {
  /** The seed of every draw; the same seed draws the same faults. */
  seed?: number;
  /**
   * The SMS provider failing (a retryable 5xx) or timing out on a fraction of sends, each drawn for
   * the text and its attempt. A timed-out request is one the carrier never took: the text is not sent.
   */
  provider?: { failRate?: number; timeoutRate?: number; timeoutMs?: number };
  /**
   * The fraction of the functions' DynamoDB calls refused as throttled, as the caller sees them once
   * the SDK's own retries gave up: nothing is written.
   */
  dynamoThrottleRate?: number;
  /**
   * The fraction of sends (a batch is one) to the outbound queue the queue takes twice, as SQS may
   * deliver a message twice.
   */
  sqsDuplicateRate?: number;
}

/** How many of each fault were brought in so far: a test's proof that its faults happened. */
export interface InjectedFaults {
  providerFailures: number;
  providerTimeouts: number;
  throttles: number;
  /** Texts queued a second time. */
  duplicates: number;
}

/**
 * Draws in [0, 1) from a seed: by a name (the same every run) or the next of a sequence; and the
 * count of faults brought in.
 */
export function faultDraws(seed = 1) {
  let count = 0;
  const of = (name: string) =>
    createHash('sha256').update(`${seed}:${name}`).digest().readUInt32BE(0) / 2 ** 32;
  const injected: InjectedFaults = { providerFailures: 0, providerTimeouts: 0, throttles: 0, duplicates: 0 };
  return { of, next: () => of(`#${count++}`), injected };
}
export type FaultDraws = ReturnType<typeof faultDraws>;

/**
 * The provider behind a fault: each attempt of a text is failed, timed out or passed on by a draw on
 * its phone, its words and the attempt's number (not on ids, which differ between runs), so the same
 * texts fail on every run of a test.
 */
export function faultyProvider(
  provider: SmsProvider,
  faults: NonNullable<Faults['provider']>,
  draws: FaultDraws,
): SmsProvider {
  const { failRate = 0, timeoutRate = 0, timeoutMs = 200 } = faults;
  const attempts = new Map<string, number>();
  return {
    async send(text) {
      const id = `${text.to} ${text.body}`;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const draw = draws.of(`provider:${id}:${attempt}`);
      if (draw < failRate) {
        draws.injected.providerFailures++;
        throw new SmsProviderError('provider unavailable: 503 from the provider', true);
      }
      if (draw < failRate + timeoutRate) {
        draws.injected.providerTimeouts++;
        await sleep(timeoutMs);
        throw new SmsProviderError(`timeout: the provider did not answer in ${timeoutMs} ms`, true);
      }
      return provider.send(text);
    },
  };
}

/** Refuses a drawn fraction of the client's calls as DynamoDB refuses a throttled request. */
export function throttleDynamo(client: DynamoDBClient, rate: number, draws: FaultDraws): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (draws.next() >= rate) return next(args);
      draws.injected.throttles++;
      const message = `throttled ${context.commandName ?? 'call'} (an injected fault)`;
      const $metadata = { httpStatusCode: 400 };
      // Outside the SDK's retries: the caller sees the throttle the retries could not get past.
      throw draws.next() < 0.5
        ? new ProvisionedThroughputExceededException({ message, $metadata })
        : new ThrottlingException({ message, $metadata });
    },
    { step: 'initialize', name: 'injectedThrottling', priority: 'high' },
  );
}

/** Sends a drawn fraction of the client's messages to `queueUrl` a second time, each a message of its own. */
export function duplicateSends(client: SQSClient, queueUrl: string, rate: number, draws: FaultDraws): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { QueueUrl?: string; Entries?: unknown[] };
      const sends =
        context.commandName === 'SendMessageCommand' || context.commandName === 'SendMessageBatchCommand';
      if (sends && input.QueueUrl === queueUrl && draws.next() < rate) {
        draws.injected.duplicates += input.Entries?.length ?? 1;
        await next(args);
      }
      return result;
    },
    { step: 'initialize', name: 'injectedDuplicates', priority: 'high' },
  );
}
