/**
 * Numbers a table can hold. JSON carries any double, but the DynamoDB document client refuses a
 * number beyond ±(2^53 − 1) (it would lose precision) and DynamoDB refuses one nearer zero than
 * 1e-130: a request or import row accepted with such a number would fail at its write instead.
 */
export function isStorableNumber(value: number): boolean {
  const size = Math.abs(value);
  return Number.isFinite(value) && size <= Number.MAX_SAFE_INTEGER && (size === 0 || size >= 1e-130);
}

export const storableNumberRule = `a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, 0 or at least 1e-130 in size`;

/**
 * The path of a number in a parsed JSON value that no table can hold, or undefined when there is none. Walked
 * without recursion, each value linked to its parent: a body may nest thousands of levels deep.
 */
export function unstorableNumberPath(value: unknown): (string | number)[] | undefined {
  interface Node {
    value: unknown;
    key?: string | number;
    parent?: Node;
  }
  const pending: Node[] = [{ value }];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (typeof node.value === 'number' && !isStorableNumber(node.value)) {
      const path: (string | number)[] = [];
      for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) path.unshift(at.key);
      return path;
    }
    if (typeof node.value !== 'object' || node.value === null) continue;
    const entries = Array.isArray(node.value) ? node.value.entries() : Object.entries(node.value);
    for (const [key, child] of entries) pending.push({ value: child, key, parent: node });
  }
  return undefined;
}
