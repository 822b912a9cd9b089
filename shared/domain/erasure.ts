/**
 * How long after an erasure a text queued still counts as queued before it: a text is queued a moment
 * after it was decided on data read earlier (a campaign's page of members, a reply composed from the
 * member's record), and the functions' clocks differ by a little. A minute covers both.
 */
export const erasureLagMs = 60_000;

/**
 * Whether a queued text must not go because its phone was erased after it was queued (PIPL art. 47:
 * an erased member is not texted on the strength of data that no longer exists). `erasedAt` is the
 * phone's latest erasure, `queuedAt` when the text was first queued (kept through deferrals and
 * releases); a text queued up to `erasureLagMs` after the erasure counts as queued before it. A text
 * with no `queuedAt` was queued before texts carried one, and so before any erasure that left a mark.
 *
 * Texts queued later go: the phone may text the shop again, join again, and be answered.
 */
export function erasedSinceQueued(queuedAt: string | undefined, erasedAt: string | undefined): boolean {
  if (erasedAt === undefined) return false;
  if (queuedAt === undefined) return true;
  return Date.parse(queuedAt) <= Date.parse(erasedAt) + erasureLagMs;
}
