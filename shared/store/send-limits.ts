import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localPhoneProofKey, phoneProof } from '../domain/phone-proof';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * The limits every send-sms instance shares, in the SendLimits table:
 * - `<merchant>#SENDER#<sender number>`: the sender's `nextAt`, the next free send slot (epoch ms)
 *   of its virtual schedule (see shared/domain/rate-limit.ts);
 * - `<merchant>#FREQ#<phone proof>#<YYYY-MM-DD | YYYY-Www>`: the marketing texts a member got that day or
 *   ISO week, as the merchant's calendar counts them;
 * - `<merchant>#CARRIER#<YYYY-MM-DD>#<phone proof>#<signature>#<template>`: the texts a number got that
 *   day with one signature and template (the signature ends in 】, so the key reads one way only).
 * The phone is keyed by its proof (shared/domain/phone-proof.ts), never the number: counters need only
 * tell numbers apart, and so hold nothing an erasure would have to find.
 * Counters hold the ids of the messages they counted (a string set): counting the same message
 * again is a no-op, so a retried send never counts twice. Every item expires after its period.
 */
const senderKey = (merchantId: string, sender: string) => ({ pk: `${merchantId}#SENDER#${sender}` });

/** Attempts at a slot while other senders keep moving the same schedule between our read and write. */
const slotAttempts = 5;

export type SlotReservation =
  /** The instant (epoch ms) the text may go. */
  | { slot: number }
  /** The sender's slots are taken past the latest acceptable one; the next free slot is at `busyUntil`. */
  | { busyUntil: number };

export interface SlotRequest {
  /** The earliest slot wanted: now plus the lead an idle sender's slot keeps. */
  start: number;
  intervalMs: number;
  /** The latest slot worth waiting for. */
  latest: number;
}

export type Cap = 'frequency-day' | 'frequency-week' | 'carrier-day';

export interface CapCheck {
  merchantId: string;
  messageId: string;
  phone: string;
  /** The merchant's calendar day (YYYY-MM-DD); its ISO week is the weekly period. */
  day: string;
  /** Marketing only: at most so many texts to the member per day and per ISO week. */
  frequency?: { perDay: number; perWeek: number };
  /** Every text: at most `perDay` a day to the number with the same signature and template. */
  carrier: { signature: string; template: string; perDay: number };
  now: Date;
}

export type CapOutcome = { within: true } | { within: false; cap: Cap; limit: number };

export class SlotContentionError extends Error {
  constructor(sender: string) {
    super(`sender ${sender}: no send slot after ${slotAttempts} attempts; other senders kept taking them`);
    this.name = 'SlotContentionError';
  }
}

export interface SendLimitsStore {
  /** One send slot of the sender's schedule, at or after `start`, unless none is free by `latest`. */
  reserveSlot(merchantId: string, sender: string, request: SlotRequest): Promise<SlotReservation>;
  /**
   * Counts the message against every cap that applies, all or none: the first cap (in the order
   * frequency-day, frequency-week, carrier-day) already full is named and nothing is counted.
   */
  count(check: CapCheck): Promise<CapOutcome>;
}

export function sendLimitsStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  proofKey: string = localPhoneProofKey,
): SendLimitsStore {
  /** Whether each sender was idle at its last reservation by this store. */
  const wasIdle = new Map<string, boolean>();
  return {
    async reserveSlot(merchantId, sender, { start, intervalMs, latest }) {
      const key = senderKey(merchantId, sender);
      // An idle sender's schedule is forgotten after a day: it only matters while it runs ahead.
      const expiresAt = Math.floor(start / 1000) + 86_400;
      // Try first what the sender was at its last reservation here: a fast sender stays idle between
      // texts and a backlog stays busy, so the first write mostly succeeds.
      let idle = wasIdle.get(key.pk) ?? false;
      for (let attempt = 0; attempt < slotAttempts; attempt++) {
        // Busy sender: the next slot is nextAt itself; taking it moves nextAt one interval on.
        if (!idle) {
          try {
            const { Attributes } = await db.send(
              new UpdateCommand({
                TableName: tableName,
                Key: key,
                UpdateExpression: 'SET nextAt = nextAt + :interval, expiresAt = :expiresAt',
                ConditionExpression: 'nextAt >= :start AND nextAt <= :latest',
                ExpressionAttributeValues: {
                  ':interval': intervalMs,
                  ':start': start,
                  ':latest': latest,
                  ':expiresAt': expiresAt,
                },
                ReturnValues: 'UPDATED_OLD',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              }),
            );
            wasIdle.set(key.pk, false);
            return { slot: Number(Attributes?.nextAt) };
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
            const nextAt = storedNextAt(error);
            if (nextAt !== undefined && nextAt > latest) return { busyUntil: nextAt };
          }
        }
        // Idle sender (no schedule yet, or it fell behind `start`): the slot is `start` itself.
        try {
          await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression: 'SET nextAt = :next, expiresAt = :expiresAt',
              ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :start',
              ExpressionAttributeValues: {
                ':next': start + intervalMs,
                ':start': start,
                ':expiresAt': expiresAt,
              },
            }),
          );
          wasIdle.set(key.pk, true);
          return { slot: start };
        } catch (error) {
          // Another sender moved nextAt past `start` in between: it is busy after all; go again.
          if (!isConditionFailure(error)) throw error;
          idle = false;
        }
      }
      throw new SlotContentionError(sender);
    },

    async count(check) {
      const counters = capCounters(check, proofKey);
      const nowSeconds = Math.floor(check.now.getTime() / 1000);
      try {
        await retryConflicts(() =>
          db.send(
            new TransactWriteCommand({
              TransactItems: counters.map((counter) => ({
                Update: {
                  TableName: tableName,
                  Key: { pk: counter.pk },
                  UpdateExpression: 'ADD ids :ids SET expiresAt = :expiresAt',
                  // Idempotency key: the message id. A message already counted passes without adding.
                  ConditionExpression:
                    'attribute_not_exists(ids) OR size(ids) < :limit OR contains(ids, :id)',
                  ExpressionAttributeValues: {
                    ':ids': new Set([check.messageId]),
                    ':id': check.messageId,
                    ':limit': counter.limit,
                    ':expiresAt': nowSeconds + counter.keepDays * 86_400,
                  },
                },
              })),
            }),
          ),
        );
        return { within: true };
      } catch (error) {
        const full = cancellationCodes(error)?.indexOf('ConditionalCheckFailed') ?? -1;
        const counter = counters[full];
        if (!counter) throw error;
        return { within: false, cap: counter.cap, limit: counter.limit };
      }
    },
  };
}

interface CapCounter {
  cap: Cap;
  pk: string;
  limit: number;
  /** Longer than the period from any instant in it. */
  keepDays: number;
}

function capCounters(
  { merchantId, phone: number, day, frequency, carrier }: CapCheck,
  proofKey: string,
): CapCounter[] {
  const phone = phoneProof(proofKey, number);
  const member = `${merchantId}#FREQ#${phone}`;
  return [
    ...(frequency
      ? [
          { cap: 'frequency-day', pk: `${member}#${day}`, limit: frequency.perDay, keepDays: 2 } as const,
          {
            cap: 'frequency-week',
            pk: `${member}#${isoWeek(day)}`,
            limit: frequency.perWeek,
            keepDays: 8,
          } as const,
        ]
      : []),
    {
      cap: 'carrier-day',
      pk: `${merchantId}#CARRIER#${day}#${phone}#${carrier.signature}#${carrier.template}`,
      limit: carrier.perDay,
      keepDays: 2,
    },
  ];
}

/** The ISO 8601 week (YYYY-Www) of a calendar date: weeks start on Monday; week 1 holds the year's first Thursday. */
function isoWeek(day: string): string {
  const date = Date.parse(`${day}T00:00:00Z`);
  const weekday = new Date(date).getUTCDay() || 7;
  const thursday = new Date(date + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The schedule's `nextAt` a failed condition saw (the error carries the item as DynamoDB JSON). */
function storedNextAt(error: unknown): number | undefined {
  const value = (error as { Item?: { nextAt?: { N?: string } } }).Item?.nextAt?.N;
  return value === undefined ? undefined : Number(value);
}
