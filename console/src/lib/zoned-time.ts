/** The offset of `timeZone` from UTC at `instant`, in milliseconds (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:mm`, as a datetime-local input gives it) names in the
 * shop's time zone, which need not be the browser's: ISO 8601 in UTC.
 */
export function instantIn(wall: string, timeZone: string): string {
  const asUtc = Date.parse(`${wall}:00Z`);
  // Twice: the offset at the guess may differ from the offset at the answer across a DST change.
  const first = asUtc - offsetAt(asUtc, timeZone);
  return new Date(asUtc - offsetAt(first, timeZone)).toISOString();
}

/** Now as a wall-clock time in the zone, `YYYY-MM-DDTHH:mm`, `minutes` from now. */
export function wallIn(timeZone: string, minutes = 0): string {
  const at = Date.now() + minutes * 60_000;
  return new Date(at + offsetAt(at, timeZone)).toISOString().slice(0, 16);
}
