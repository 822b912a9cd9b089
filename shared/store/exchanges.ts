import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RandomBytes } from '../domain/coupons';
import type { Balances, Posting } from '../domain/ledger';
import type { Claim } from '../schemas/benefit';
import { type ClaimOutcome, type ClaimRequest, claimKey, claimWriter } from './benefit-claims';
import type { Entry } from './ledger';
import { postingWriter } from './ledger/posting';

/**
 * Exchanges (积分兑换): a benefit priced in points, claimed by paying its price. The points redemption
 * (key, entry and the member's balance, conditioned on enough points; the soonest-expiring points go
 * first, as every redeem's do), the claim, its coupon and the stock are one transaction across the
 * Ledger, Members and Benefits tables: all or nothing. The ledger key (`exchange:<idempotency key>`)
 * keeps the claim's code and period, so a retry finds what it was granted.
 */
export interface ExchangeRequest extends ClaimRequest {
  /** The price as read with the benefit; the write checks the catalog still asks it. */
  pricePoints: number;
  at: Date;
  /** Calendar year in the merchant's time zone (the ledger's yearly figures). */
  year: string;
}

export type ExchangeOutcome =
  | { status: 'granted' | 'replayed'; claim: Claim; entry: Entry; balances: Balances }
  | Exclude<ClaimOutcome, { status: 'granted' | 'replayed' }>
  | { status: 'insufficient'; balance: number }
  | { status: 'no-member' }
  /** The idempotency key was used before for another operation. */
  | { status: 'conflict' };

export interface ExchangesStore {
  exchange(request: ExchangeRequest): Promise<ExchangeOutcome>;
}

/** The ledger key of an exchange: apart from the keys of the API's own ledger operations. */
export const exchangeLedgerKey = (idempotencyKey: string) => `exchange:${idempotencyKey}`;

export function exchangesStore(
  db: DynamoDBDocumentClient,
  /** `outbox`: where the redemption's and the claim's events are written, in the exchange's transaction. */
  tables: { benefits: string; ledger: string; members: string; outbox?: string },
  { random }: { random?: RandomBytes } = {},
): ExchangesStore {
  const claims = claimWriter(db, tables.benefits, random, tables.outbox);
  const ledger = postingWriter(db, tables.ledger, tables.members, tables.outbox);

  return {
    async exchange(request) {
      const { pricePoints, at, year } = request;
      const posting: Posting = {
        book: 'points',
        type: 'redeem',
        delta: -pricePoints,
        reason: `exchange ${request.benefit.code}`,
        benefitCode: request.benefit.code,
      };
      const input = {
        merchantId: request.merchantId,
        member: { memberId: request.memberId, phone: request.phone },
        posting,
        idempotencyKey: exchangeLedgerKey(request.idempotencyKey),
        at,
        year,
      };
      const keyFields = { claimCode: request.benefit.code, claimPeriod: request.period };
      let prepared = ledger.prepare(input, [], undefined, keyFields);

      const replay = async (): Promise<ExchangeOutcome> => {
        const [key, outcome] = await Promise.all([
          ledger.keyRecord(input.merchantId, input.idempotencyKey),
          ledger.explain(input, prepared.fingerprint, ['ConditionalCheckFailed']),
        ]);
        if (outcome?.status !== 'replayed') return outcome as ExchangeOutcome;
        const claim = await claims.getClaim(
          claimKey({
            merchantId: input.merchantId,
            memberId: request.memberId,
            code: key?.claimCode as string,
            period: key?.claimPeriod as string,
          }),
        );
        if (!claim) throw new Error(`exchange ${input.idempotencyKey} has a ledger entry but no claim`);
        return { status: 'replayed', claim, entry: outcome.entry, balances: outcome.balances };
      };

      const outcome = await claims.grant<ExchangeOutcome>(
        request,
        (claimItems) => {
          return db.send(new TransactWriteCommand({ TransactItems: [...prepared.items, ...claimItems] }));
        },
        {
          // The claim's items follow the posting's (key, entry, balance and the event in the outbox).
          offset: prepared.items.length,
          pricePoints,
          explain: async (codes) => {
            if (codes[0] === 'ConditionalCheckFailed') return replay();
            const refused = await ledger.explain(input, prepared.fingerprint, codes);
            // A new round (another coupon code, the stock limit changed) writes a new entry id.
            prepared = ledger.prepare(input, [], undefined, keyFields);
            return refused as ExchangeOutcome | undefined;
          },
        },
      );
      if (outcome.status === 'replayed' && !('entry' in outcome)) {
        // The claim was made by this key with no points paid: a free claim before the price was set.
        return { status: 'already-claimed', claim: outcome.claim };
      }
      if (outcome.status !== 'granted') return outcome;
      const applied = await ledger.applied(input, prepared.entryId, prepared.at);
      if (applied.status !== 'applied') throw new Error('an applied posting answers as applied');
      return { status: 'granted', claim: outcome.claim, entry: applied.entry, balances: applied.balances };
    },
  };
}
