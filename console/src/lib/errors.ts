/** What the API found wrong with one field of a body or query: `path` names it (`tags.0`, `purchaseCents`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The API refused a request: its status and `{"error": {"code", "message", "issues"}}`, shown as the
 * API wrote it.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The server could not be reached at all (offline, DNS, a dropped connection): worth a retry. */
export class ConnectionLost extends Error {
  override readonly name = 'ConnectionLost';
}

/**
 * Whether trying again may help: the network failed, or a page's code could not be loaded (after a
 * deploy replaced it, or offline). Browsers word the latter differently, hence the patterns.
 */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof ConnectionLost) return true;
  return (
    error instanceof TypeError &&
    /dynamically imported module|module script failed|Failed to fetch|NetworkError|Load failed/i.test(
      error.message,
    )
  );
}

/** The message an API error body carries, or the HTTP status when it carries none (a proxy's page). */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)
    ?.error;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const issues = Array.isArray(error?.issues) ? error.issues.filter(isFieldIssue) : [];
  return new ApiError(status, typeof error?.code === 'string' ? error.code : undefined, message, issues);
}

function isFieldIssue(issue: unknown): issue is FieldIssue {
  const { path, message } = (issue ?? {}) as Partial<Record<keyof FieldIssue, unknown>>;
  return typeof path === 'string' && typeof message === 'string';
}
