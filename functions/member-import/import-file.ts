import { ImportFileError, type ImportRow, readImportRows } from '../../shared/domain/member-import';
import { entryTier } from '../../shared/domain/tiers';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import { functions } from '../../shared/resources';
import type { ImportReport } from '../../shared/schemas/member-import';
import type { DirectoryStore } from '../../shared/store/directory';
import { type ImportFiles, importOfKey } from '../../shared/store/import-files';
import type { ImportsStore } from '../../shared/store/imports';
import type { ImportOptions } from '../../shared/store/member-import';
import type { ReferralDeps } from '../../shared/use-cases/member-rewards';
import { noteReferrals, type ReferredRow, recordImportReferrals } from './import-referrals';

export interface MemberImportDeps {
  directory: DirectoryStore;
  imports: ImportsStore;
  files: ImportFiles;
  /** Upserts the rows into the merchant's members: `importMembers` on the members table. */
  importRows(
    merchantId: string,
    rows: AsyncIterable<ImportRow>,
    options: ImportOptions,
  ): Promise<ImportReport>;
  /** What recording the rows' referrals needs (shared/use-cases/member-rewards.ts). */
  referralDeps: ReferralDeps;
  clock: () => Date;
}

/** Rows between two progress writes: a few a minute at DynamoDB's pace, one write each. */
export const progressEvery = 5000;
/** A run may hold an import as long as the function may run. */
const leaseSeconds = functions['member-import'].timeoutSeconds;

/**
 * Imports one uploaded file. The run claims the import first, so a duplicate notification does
 * nothing; the file is read as it streams from S3, never held whole. A file that cannot be read at
 * all fails the import with its reason and is not retried (it would fail again). Any other error is
 * thrown: SQS delivers the message again and the import runs again, which is safe because a row
 * already imported changes nothing.
 */
export async function importUploadedFile(key: string, runId: string, deps: MemberImportDeps): Promise<void> {
  const ids = importOfKey(key);
  const merchant = ids && (await deps.directory.merchant(ids.merchantId));
  if (!ids || !merchant) {
    logger.warn('not an import file of a known merchant; ignored', { key });
    return;
  }
  const claim = { ...ids, runId };
  const now = deps.clock();
  const record = await deps.imports.claim(claim, now, leaseSeconds);
  if (!record) {
    logger.info('no import is waiting for this file (running, finished or unknown); nothing to do', claim);
    return;
  }
  try {
    const rows = readImportRows(await deps.files.open(key), record.format, {
      defaultCountry: merchant.defaultCountry,
      today: dateIn(merchant.timeZone, now),
    });
    const referred: ReferredRow[] = [];
    const report = await deps.importRows(
      merchant.merchantId,
      withProgress(noteReferrals(rows, referred), (rowsRead) => deps.imports.progress(claim, rowsRead)),
      { now, importId: record.importId, entryTier: entryTier(merchant.loyalty.tiers) },
    );
    await recordImportReferrals(merchant, record.importId, referred, report, deps.referralDeps);
    await deps.imports.finish(claim, report, deps.clock());
    const { errors: _listed, ...counts } = report;
    logger.info('import done', { ...claim, ...counts });
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    await deps.imports.fail(claim, error.message, deps.clock());
    logger.info('import failed: the file cannot be read', { ...claim, reason: error.message });
  }
}

/** The rows as they are read, reporting the count every `progressEvery` rows. */
async function* withProgress(
  rows: AsyncIterable<ImportRow>,
  report: (rowsRead: number) => Promise<void>,
): AsyncIterable<ImportRow> {
  let read = 0;
  for await (const row of rows) {
    yield row;
    if (++read % progressEvery === 0) await report(read);
  }
}
