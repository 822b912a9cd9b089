import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Pseudonyms } from '../../domain/phone-proof';
import { markErasure } from '../erasure-marks';
import { type ConsentExport, consentRecords } from '../members/consent';
import { memberKey } from '../members/keys';
import { queryAll } from '../paging';
import { eraseFromAudit } from './audit';
import { eraseFromBenefits } from './benefits';
import { eraseFromCare, remindersFor } from './care';
import {
  type EngagementErasure,
  type EngagementExport,
  engagementOf,
  eraseFromEngagement,
} from './engagement';
import { eraseFromLedger, ledgerEntriesOf } from './ledger';
import { type ErasedMember, eraseFromMembers, readErasedMember } from './members';
import { eraseFromMessages, textsSentTo } from './messages';
import { eraseFromOutbox } from './outbox';

export type { ErasedMember } from './members';

/** The tables a phone's personal data is in (shared/resources/tables.ts); the others hold none. */
export interface PersonalDataTables {
  members: string;
  ledger: string;
  benefits: string;
  messages: string;
  engagement: string;
  care: string;
  audit: string;
  /** Events committed with writes, kept a day: some name the phone. */
  outbox: string;
}

/** Everything held about a phone at one merchant, each record as stored without the table's keys. */
export interface PersonalData extends EngagementExport {
  member?: Record<string, unknown>;
  consent: ConsentExport;
  ledger: Record<string, unknown>[];
  claims: Record<string, unknown>[];
  reminders: Record<string, unknown>[];
  textsSent: Record<string, unknown>[];
  /** Set once the phone's data was erased: what was kept, under the phone's proof. */
  erasure?: ErasedMember;
}

export interface Erasure {
  erased: ErasedMember;
  /** How many records of each kind lost their personal data this time (0 when erasing again). */
  counts: EngagementErasure & {
    texts: number;
    reminders: number;
    auditEntries: number;
    coupons: number;
    lots: number;
  };
}

/**
 * A phone's personal data across the tables, for the member's rights under PIPL: a copy of all of it
 * (art. 45) and its erasure (art. 47). Key design stays with each table's store; this module reads
 * and rewrites by those keys. Tables not listed hold no member's data: the send caps count phones by
 * their proof, the directory and sessions are staff's, the others are the merchant's own.
 */
export interface PersonalDataStore {
  exportOf(merchantId: string, pseudonyms: Pseudonyms): Promise<PersonalData>;
  /** Erases, or finishes an erasure a failure cut short; again changes nothing and keeps the first time. */
  erase(merchantId: string, pseudonyms: Pseudonyms, at: Date): Promise<Erasure>;
}

const withoutKeys = ({ pk: _pk, sk: _sk, merchantId: _merchant, ...item }: Record<string, unknown>) => item;

export function personalDataStore(db: DynamoDBDocumentClient, tables: PersonalDataTables): PersonalDataStore {
  const consent = consentRecords(db, tables.members);
  const memberIdOf = async (merchantId: string, pseudonyms: Pseudonyms) => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tables.members,
        Key: memberKey(merchantId, pseudonyms.phone),
        ConsistentRead: true,
      }),
    );
    return { item: Item, erasure: await readErasedMember(db, tables.members, merchantId, pseudonyms.proof) };
  };
  return {
    async exportOf(merchantId, pseudonyms) {
      const { phone } = pseudonyms;
      const { item, erasure } = await memberIdOf(merchantId, pseudonyms);
      const memberId = (item?.memberId as string | undefined) ?? erasure?.memberId;
      const {
        listPk: _l,
        listSk: _s,
        idPk: _i,
        filterPk: _f,
        birthdayPk: _b,
        joinDayPk: _j,
        storedValuePk: _v,
        packagePk: _p,
        packageSk: _q,
        ...member
      } = item ? withoutKeys(item) : {};
      const engagement = await engagementOf(db, tables.engagement, merchantId, phone);
      return {
        ...(item ? { member } : {}),
        consent: await consent.consentExport(merchantId, phone),
        ledger: memberId
          ? (await ledgerEntriesOf(db, tables.ledger, merchantId, memberId)).map(withoutKeys)
          : [],
        claims: memberId ? await claimsOf(db, tables.benefits, merchantId, memberId) : [],
        reminders: await remindersFor(db, tables.care, merchantId, phone),
        textsSent: await textsSentTo(db, tables.messages, merchantId, phone),
        ...engagement,
        ...(erasure ? { erasure } : {}),
      };
    },

    async erase(merchantId, pseudonyms, at) {
      // The mark first, before anything is erased: from here on the sender sends no text queued
      // before it (shared/store/erasure-marks.ts), and a text it sends meanwhile forgets the phone.
      await markErasure(db, tables.members, merchantId, pseudonyms.proof, at);
      // Found by the phone first, while the member item still leads from the phone to the member id;
      // a run cut short is finished by the next, which finds the member id on the erased record.
      const texts = await eraseFromMessages(db, tables.messages, merchantId, pseudonyms);
      const engagement = await eraseFromEngagement(db, tables.engagement, merchantId, pseudonyms);
      const reminders = await eraseFromCare(db, tables.care, merchantId, pseudonyms, at);
      const auditEntries = await eraseFromAudit(db, tables.audit, merchantId, pseudonyms);
      await eraseFromOutbox(db, tables.outbox, merchantId, pseudonyms.phone);
      const erased = await eraseFromMembers(db, tables.members, merchantId, pseudonyms, at);
      const { memberId } = erased;
      const lots = memberId ? await eraseFromLedger(db, tables.ledger, merchantId, memberId) : 0;
      const coupons = memberId ? await eraseFromBenefits(db, tables.benefits, merchantId, memberId) : 0;
      return { erased, counts: { ...engagement, texts, reminders, auditEntries, coupons, lots } };
    },
  };
}

async function claimsOf(db: DynamoDBDocumentClient, tableName: string, merchantId: string, memberId: string) {
  const claims: Record<string, unknown>[] = [];
  for await (const claim of queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :claims)',
    ExpressionAttributeValues: { ':pk': `${merchantId}#${memberId}`, ':claims': 'CLAIM#' },
  })) {
    claims.push(withoutKeys(claim));
  }
  return claims;
}
