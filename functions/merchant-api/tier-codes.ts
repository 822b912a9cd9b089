import { unknownTiers } from '../../shared/domain/tiers';
import type { Merchant } from '../../shared/schemas/merchant';
import { HttpError } from './http';

/** Where a request names tier codes: the field's path, and the codes. */
export interface NamedTiers {
  path: string;
  codes: Iterable<string>;
}

/**
 * Refuses tier codes the merchant's tier table does not have, wherever a request names them: a
 * benefit or an audience on a tier no member can hold would silently never apply.
 */
export function refuseUnknownTiers(
  merchant: Merchant,
  named: NamedTiers[],
  code: 'invalid_body' | 'invalid_query' = 'invalid_body',
): void {
  const table = merchant.loyalty.tiers;
  const yours = table.map((tier) => tier.code).join(', ');
  const issues = named.flatMap(({ path, codes }) =>
    unknownTiers(codes, table).map((tier) => ({
      path,
      message: `${tier} is not one of your tiers (${yours})`,
    })),
  );
  if (issues.length > 0) {
    throw new HttpError(
      400,
      code,
      issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
      issues,
    );
  }
}
