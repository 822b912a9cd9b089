import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { roleSchema } from './staff';

/** One change made through the merchant API: who made it, in which role, what it touched, and how it ended. */
export const auditEntrySchema = lazySchema(() =>
  z.object({
    at: z.iso.datetime(),
    requestId: z.string(),
    actor: z.object({
      kind: z.enum(['staff', 'api-key']),
      /** The staff id, or the API key's id. */
      id: z.string(),
      /** The staff member's name when the change was made. */
      name: z.string().optional(),
    }),
    role: roleSchema,
    /** The route, as `METHOD /path/{parameter}`. */
    route: z.string(),
    /** The ids the change named in its path and those its answer created (`memberId`, `staffId` …). */
    ids: z.record(z.string(), z.string()),
    /** The HTTP status it was answered with: 2xx done, 4xx refused. */
    status: z.number().int(),
  }),
);
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** How long entries are kept: a year and a bit, as message records are. */
export const auditRetentionDays = 400;

const idName = /(Id|^code|^phone)$/;

/**
 * The ids a change touched: its path parameters, and the ids in its answer's resource (the
 * `{"<resource>": {…}}` envelope, or the answer itself), such as the `staffId` a new member of
 * staff got. Secrets never are ids: an API key's `apiKey` is not read.
 */
export function touchedIds(
  pathParameters: Record<string, string | undefined> | undefined,
  answer: unknown,
): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [name, value] of Object.entries(pathParameters ?? {})) {
    if (value !== undefined) ids[name] = safeDecode(value).slice(0, 200);
  }
  // A refusal's `{"error": {"code"}}` names no resource.
  const resources =
    isObject(answer) && !('error' in answer) ? [answer, ...Object.values(answer).filter(isObject)] : [];
  for (const resource of resources) {
    for (const [name, value] of Object.entries(resource)) {
      if (typeof value === 'string' && idName.test(name) && !(name in ids)) ids[name] = value.slice(0, 200);
      // An erasure answers with the phone's proof: the log names the proof, never the erased number.
      if (name === 'phoneProof' && typeof value === 'string') ids.phone = value;
    }
  }
  return ids;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
