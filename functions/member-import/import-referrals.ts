import type { ImportRow } from '../../shared/domain/member-import';
import type { ImportReport } from '../../shared/schemas/member-import';
import type { Merchant } from '../../shared/schemas/merchant';
import { findReferrer, type ReferralDeps, recordReferral } from '../../shared/use-cases/member-rewards';

/** A row that named a referrer: its number, the member's phone and the referrer's as written. */
export interface ReferredRow {
  row: number;
  phone: string;
  referrerPhone: string;
}

/** The rows as they are read, keeping those that name a referrer (`referrerPhone`) in `referred`. */
export async function* noteReferrals(
  rows: AsyncIterable<ImportRow>,
  referred: ReferredRow[],
): AsyncIterable<ImportRow> {
  for await (const row of rows) {
    if ('member' in row && row.referrerPhone)
      referred.push({ row: row.row, phone: row.member.phone, referrerPhone: row.referrerPhone });
    yield row;
  }
}

const refusals = {
  unreadable: 'not a mobile number',
  self: 'the member’s own phone',
  'not-member': 'not a current member',
  'joined-later': 'did not join before the member',
} as const;

/**
 * Records the referrals the import's rows named, for the members this import created (a member who
 * was there before was nobody's new member). A referrer that cannot be recorded is listed in the
 * report at its row; the member stays imported. Imported members are customers brought over, not
 * joining: they get no join gift. Safe to repeat: a referral is recorded once per new member.
 */
export async function recordImportReferrals(
  merchant: Merchant,
  importId: string,
  referred: readonly ReferredRow[],
  report: ImportReport,
  deps: ReferralDeps,
): Promise<void> {
  for (const { row, phone, referrerPhone } of referred) {
    const { member } = await deps.members.contact(merchant.merchantId, phone);
    if (!member || member.deletedAt || member.joinChannel !== 'import' || member.joinRef !== importId)
      continue;
    const found = await findReferrer(merchant, member, referrerPhone, deps);
    if ('problem' in found) {
      report.errors.push({
        row,
        reason: `referrerPhone: ${refusals[found.problem]}; the member was imported without a referral`,
      });
      continue;
    }
    await recordReferral(merchant, member, found.referrer, 'import', deps);
  }
}
