import type middy from '@middy/core';
import { touchedIds } from '../../shared/domain/audit';
import { logger } from '../../shared/log';
import type { AuditStore } from '../../shared/store/audit';
import { actorIdOf, type MerchantApiContext } from './auth';
import type { Request, Response } from './http';

export interface RecordChangesDeps {
  audit: Pick<AuditStore, 'record'>;
  clock: () => Date;
}

type ChangeRequest = middy.Request<Request, Response, Error, MerchantApiContext>;

function parsed(body: Response['body']): unknown {
  try {
    return typeof body === 'string' ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Middy middleware: every change (any method but GET) a known caller asked for goes into the audit
 * log with its outcome, whether it was done or refused (its role, a bad body, a conflict). Written
 * after the answer is settled: `after` once the route answered, `onError` once httpErrors() has made
 * the error an answer (so this is used before it). A change already made is not undone because its
 * entry could not be written; that failure is logged.
 */
export function recordChanges(
  deps: RecordChangesDeps,
): middy.MiddlewareObj<Request, Response, Error, MerchantApiContext> {
  const recordChange = async (request: ChangeRequest): Promise<void> => {
    const { caller } = request.context;
    const { event, response } = request;
    if (!caller || event.requestContext.http.method === 'GET' || !response) return;
    const { actor } = caller;
    try {
      await deps.audit.record(caller.merchant.merchantId, {
        at: deps.clock().toISOString(),
        requestId: event.requestContext.requestId,
        actor: {
          kind: actor.kind,
          id: actorIdOf(caller),
          ...(actor.kind === 'staff' ? { name: actor.staff.name } : {}),
        },
        role: caller.role,
        route: event.routeKey,
        ids: touchedIds(event.pathParameters, parsed(response.body)),
        status: response.statusCode ?? 200,
      });
    } catch (error) {
      logger.error('audit entry not written', { error: error as Error, routeKey: event.routeKey });
    }
  };
  return { after: recordChange, onError: recordChange };
}
