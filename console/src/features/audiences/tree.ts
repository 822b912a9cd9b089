/**
 * The audience builder's tree: groups joined by AND or OR, conditions, and NOT on either. It becomes
 * the API's definition (`{and}`, `{or}`, `{not}`, `{field, op, value, window}`) and is read back from
 * one, so a saved audience opens as it was built.
 */

export type Join = 'and' | 'or';
export type Scalar = string | number | boolean;
export type Value = Scalar | Scalar[] | undefined;

export interface ConditionNode {
  kind: 'condition';
  id: string;
  negate: boolean;
  /**
   * The field's name as the API lists it. A field named by a prefix takes the rest of its name from
   * `attribute`: a custom attribute (`attributes.`) its name, a store's purchases
   * (`daysSinceStorePurchase.`) the store's id.
   */
  field: string;
  attribute?: string;
  op: string;
  window?: string;
  value: Value;
}

export interface GroupNode {
  kind: 'group';
  id: string;
  negate: boolean;
  join: Join;
  children: TreeNode[];
}

export type TreeNode = ConditionNode | GroupNode;

/** A definition as the API takes it. */
export type DefinitionJson =
  | { and: DefinitionJson[] }
  | { or: DefinitionJson[] }
  | { not: DefinitionJson }
  | { field: string; op: string; value?: Value; window?: string };

export const attributePrefix = 'attributes.';
export const storePrefix = 'daysSinceStorePurchase.';
const prefixes = [attributePrefix, storePrefix];
const prefixed = (field: string) => prefixes.includes(field);

let counter = 0;
export const nodeId = (): string => `n${++counter}`;

export const newGroup = (join: Join = 'and', children: TreeNode[] = []): GroupNode => ({
  kind: 'group',
  id: nodeId(),
  negate: false,
  join,
  children,
});

export const newCondition = (field: string, op: string, window?: string): ConditionNode => ({
  kind: 'condition',
  id: nodeId(),
  negate: false,
  field,
  op,
  ...(window ? { window } : {}),
  value: undefined,
});

/** The name a condition sends: a prefixed field's is the prefix and the rest of its name. */
export const fieldNameOf = (node: ConditionNode): string =>
  prefixed(node.field) ? `${node.field}${node.attribute ?? ''}` : node.field;

/** Whether a value is filled in as its operator needs: one value, a pair, or a list of one or more. */
export function valueComplete(op: string, value: Value): boolean {
  const filled = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (op === 'between') return Array.isArray(value) && value.length === 2 && value.every(filled);
  if (op === 'in') return Array.isArray(value) && value.length > 0 && value.every(filled);
  return !Array.isArray(value) && filled(value);
}

/** Whether every group has a member and every condition its field, attribute name and value. */
export function complete(node: TreeNode): boolean {
  if (node.kind === 'group') return node.children.length > 0 && node.children.every(complete);
  if (prefixed(node.field) && !node.attribute?.trim()) return false;
  return valueComplete(node.op, node.value);
}

export interface Built {
  definition: DefinitionJson;
  /** Each condition's path in the request body (`definition.and.0.not`): where the API's issues point. */
  paths: Map<string, string>;
}

/** The API's definition of a tree, with where each condition lands in it. */
export function toDefinition(root: TreeNode, at = 'definition'): Built {
  const paths = new Map<string, string>();
  const build = (node: TreeNode, path: string): DefinitionJson => {
    if (node.negate) return { not: build({ ...node, negate: false }, `${path}.not`) };
    if (node.kind === 'group') {
      const children = node.children.map((child, i) => build(child, `${path}.${node.join}.${i}`));
      return node.join === 'and' ? { and: children } : { or: children };
    }
    paths.set(node.id, path);
    return {
      field: fieldNameOf(node),
      op: node.op,
      ...(node.value === undefined ? {} : { value: node.value }),
      ...(node.window ? { window: node.window } : {}),
    };
  };
  return { definition: build(root, at), paths };
}

/** A saved definition as the builder shows it: the top is always a group. */
export function fromDefinition(definition: DefinitionJson): GroupNode {
  const read = (json: DefinitionJson): TreeNode => {
    if ('not' in json) {
      const inner = read(json.not);
      return { ...inner, negate: !inner.negate };
    }
    if ('and' in json) return newGroup('and', json.and.map(read));
    if ('or' in json) return newGroup('or', json.or.map(read));
    const prefix = prefixes.find((candidate) => json.field.startsWith(candidate));
    return {
      kind: 'condition',
      id: nodeId(),
      negate: false,
      field: prefix ?? json.field,
      ...(prefix ? { attribute: json.field.slice(prefix.length) } : {}),
      op: json.op,
      ...(json.window ? { window: json.window } : {}),
      value: json.value,
    };
  };
  const top = read(definition);
  return top.kind === 'group' ? top : newGroup('and', [top]);
}

/** The tree with one node changed (or removed, when `change` answers undefined). */
export function updateNode(
  node: TreeNode,
  id: string,
  change: (node: TreeNode) => TreeNode | undefined,
): TreeNode | undefined {
  if (node.id === id) return change(node);
  if (node.kind === 'condition') return node;
  const children = node.children.flatMap((child) => updateNode(child, id, change) ?? []);
  return { ...node, children };
}

/** A group with one more node at its end; any other node as it is. */
export const withChild = (node: TreeNode, child: TreeNode): TreeNode =>
  node.kind === 'group' ? { ...node, children: [...node.children, child] } : node;

/** Levels of and/or/not a node takes, as the API counts them against its bound. */
export function depthOf(node: TreeNode): number {
  const own = node.negate ? 1 : 0;
  if (node.kind === 'condition') return own;
  return own + 1 + Math.max(0, ...node.children.map(depthOf));
}

export function conditionCount(node: TreeNode): number {
  return node.kind === 'condition' ? 1 : node.children.reduce((sum, child) => sum + conditionCount(child), 0);
}

/**
 * The API's issues about a definition, each at the condition it names (its path, or a path below it),
 * and those that name no condition (the whole tree, a group).
 */
export function issuesByCondition(
  issues: readonly { path: string; message: string }[],
  paths: Map<string, string>,
): { at: Map<string, string[]>; rest: string[] } {
  const at = new Map<string, string[]>();
  const rest: string[] = [];
  for (const issue of issues) {
    const owner = [...paths].find(([, path]) => issue.path === path || issue.path.startsWith(`${path}.`));
    if (owner) at.set(owner[0], [...(at.get(owner[0]) ?? []), issue.message]);
    else rest.push(issue.message);
  }
  return { at, rest };
}
