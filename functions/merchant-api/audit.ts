import * as z from 'zod';
import { auditEntrySchema } from '../../shared/domain/audit';
import type { Merchant } from '../../shared/schemas/merchant';
import { type AuditStore, auditCursorPattern } from '../../shared/store/audit';
import { json, pageQuery, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidQuery, type RouteDocsFor } from './route-docs';

/** The audit log: every change made through the API, by a member of staff or an API key, newest first. */

export interface AuditRoutesDeps {
  audit: Pick<AuditStore, 'entries'>;
}

const instant = z.iso
  .datetime({ offset: true, error: 'an ISO date-time with its offset, e.g. 2026-11-23T00:00:00+08:00' })
  .transform((at) => new Date(at).toISOString());

export const auditQuerySchema = z
  .strictObject({
    ...pageQuery(z.string().regex(auditCursorPattern, 'cursor: as the last page gave it'), 50),
    /** A staff id, or an API key's id. */
    staffId: z
      .string()
      .regex(/^[0-9A-Za-z]{1,40}$/, 'staffId: a staff id or an API key id')
      .optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .refine(({ from, to }) => !from || !to || from < to, { path: ['to'], message: 'to: after from' });

const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), cursor: z.string().optional() });

/** `GET /v1/audit`. */
export async function listAuditEntries(
  request: Request,
  merchant: Merchant,
  deps: AuditRoutesDeps,
): Promise<Response> {
  const { staffId, ...query } = parseQuery(request, auditQuerySchema);
  const page = await deps.audit.entries(merchant.merchantId, {
    ...query,
    ...(staffId ? { actorId: staffId } : {}),
  });
  return json(200, page satisfies z.infer<typeof auditPageSchema>);
}

export const auditRouteDocs: RouteDocsFor<'/v1/audit'> = {
  'GET /v1/audit': {
    summary: 'Read the audit log',
    description:
      'Every change made through the API (not reads), newest first: when, who (a member of staff, or an ' +
      'API key), in which role, the route, the ids it named or created, and the status it was answered ' +
      'with (refusals too). `staffId` (or an API key id) keeps one person’s; `from` and `to` a time range. ' +
      'Entries are kept 400 days. Pass `cursor` to read on.',
    query: auditQuerySchema,
    responses: { 200: { description: 'A page of entries', body: auditPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
};
