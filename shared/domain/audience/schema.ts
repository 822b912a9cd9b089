import * as z from 'zod';
import { type FieldDefinition, fieldNames, fieldOf, spendWindows } from './fields';
import {
  type Audience,
  type AudienceOp,
  audienceOps,
  conditionSchema,
  maxAudienceConditions,
  maxAudienceDepth,
  maxListValues,
} from './tree';

interface Issue {
  path: PropertyKey[];
  message: string;
}

const rangeOps: readonly AudienceOp[] = ['gt', 'gte', 'lt', 'lte', 'between'];

/** Why a condition's value does not fit its field and operator, or undefined when it does. */
function valueProblem(field: string, definition: FieldDefinition, op: AudienceOp, value: unknown) {
  const one = (v: unknown) =>
    definition.value.safeParse(v).success &&
    // Only numbers, text and dates have an order; `contains` looks for text.
    !(rangeOps.includes(op) && typeof v === 'boolean') &&
    !(op === 'contains' && typeof v !== 'string');
  switch (op) {
    case 'exists':
      return typeof value === 'boolean' ? undefined : `${field} exists takes true or false`;
    case 'in':
      return Array.isArray(value) && value.length >= 1 && value.length <= maxListValues && value.every(one)
        ? undefined
        : `${field} in takes a list of 1 to ${maxListValues} values, each ${definition.describe}`;
    case 'between': {
      const [low, high] = Array.isArray(value) ? value : [];
      const pair = Array.isArray(value) && value.length === 2 && one(low) && one(high);
      if (!pair) return `${field} between takes [low, high], each ${definition.describe}`;
      return typeof low === typeof high && (low as number | string) <= (high as number | string)
        ? undefined
        : `${field} between takes [low, high] of one type with low ≤ high`;
    }
    default:
      return one(value) ? undefined : `${field} ${op} takes ${definition.describe}`;
  }
}

function conditionIssues(value: unknown): Issue[] {
  const parsed = conditionSchema.safeParse(value);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  }
  const { field, op, window } = parsed.data;
  const definition = fieldOf(field);
  if (!definition) return [{ path: ['field'], message: `unknown field "${field}"; one of ${fieldNames}` }];
  if (!definition.ops.includes(op)) {
    return [{ path: ['op'], message: `${field} takes ${definition.ops.join(', ')}` }];
  }
  if (definition.windows && (window === undefined || !definition.windows.includes(window))) {
    return [{ path: ['window'], message: `${field} needs a window: ${definition.windows.join(' or ')}` }];
  }
  if (!definition.windows && window !== undefined) {
    return [{ path: ['window'], message: `${field} takes no window` }];
  }
  const problem = valueProblem(field, definition, op, parsed.data.value);
  return problem ? [{ path: ['value'], message: problem }] : [];
}

const nodeShape =
  'a node is {"and": [nodes]}, {"or": [nodes]}, {"not": node} or a condition {field, op, value}';
const groupKeys = ['and', 'or', 'not'] as const;

/** Every problem with a tree, each at its path; stops descending past the depth bound. */
function treeIssues(
  value: unknown,
  path: PropertyKey[],
  depth: number,
  seen: { conditions: number },
): Issue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ path, message: nodeShape }];
  const keys = Object.keys(value);
  const group = groupKeys.find((key) => keys.includes(key));
  if (!group) {
    seen.conditions++;
    return conditionIssues(value).map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
  }
  if (keys.length !== 1) return [{ path, message: `${nodeShape}; this one has ${keys.join(', ')}` }];
  if (depth >= maxAudienceDepth) {
    return [{ path, message: `and/or/not nest ${maxAudienceDepth} deep at most` }];
  }
  const child = (value as Record<string, unknown>)[group];
  if (group === 'not') return treeIssues(child, [...path, 'not'], depth + 1, seen);
  if (!Array.isArray(child) || child.length === 0) {
    return [{ path: [...path, group], message: `${group} takes a list of at least one node` }];
  }
  return child.flatMap((node, i) => treeIssues(node, [...path, group, i], depth + 1, seen));
}

/**
 * An audience definition, checked whole by `treeIssues`: every problem is reported at its path
 * (`and.0.value`) with a reason, and what passes is an `Audience`. Typed as such because zod
 * cannot infer a recursive tree; its JSON Schema is the description, for a recursive one would
 * need `$defs`.
 */
export const audienceSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const seen = { conditions: 0 };
    const issues = treeIssues(value, [], 0, seen);
    if (seen.conditions > maxAudienceConditions) {
      issues.push({
        path: [],
        message: `the audience has ${seen.conditions} conditions; at most ${maxAudienceConditions}`,
      });
    }
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  })
  .meta({
    description:
      'Which members: {"and": [nodes]}, {"or": [nodes]}, {"not": node}, or a condition {"field", "op", ' +
      `"value"}. Fields: ${fieldNames}; spend (cents) also takes a "window": ` +
      `${Object.keys(spendWindows).join(' or ')}. Ops: ${audienceOps.join(', ')}; between takes [low, high], ` +
      'exists true or false, contains a tag or text within text. Dates are YYYY-MM-DD in your time zone. ' +
      'A member without the value matches only exists: false; deleted members never match. At most ' +
      `${maxAudienceDepth} levels of and/or/not and ${maxAudienceConditions} conditions.`,
  }) as z.ZodType<Audience, unknown>;
