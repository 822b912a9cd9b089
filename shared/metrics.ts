import type { MiddlewareObj } from '@middy/core';
import { settings } from './resources';

/** The CloudWatch namespace every function writes its metrics to (read by the alarms and the dashboard). */
export const metricsNamespace = 'mcrm';

/**
 * Every metric the functions write, one name per fact. Their dimensions stay few and of low
 * cardinality (a category, a reason code, an intent; never a phone, a member or a merchant): each
 * distinct set of dimension values is one more CloudWatch metric, billed by the month.
 */
export const metricNames = {
  /** A text the provider took; `category`. TextParts and TextCostFen beside it: its parts and their cost. */
  textsSent: 'TextsSent',
  textParts: 'TextParts',
  textCostFen: 'TextCostFen',
  /** The carrier's final word on a sent text; `category`. */
  textsDelivered: 'TextsDelivered',
  /** Not delivered: the carrier said so, the provider refused it, or the last attempt failed; `category`, `stage`. */
  textsFailed: 'TextsFailed',
  /** Never sent (no consent, a frequency cap, an invalid number, an unregistered template …); `category`, `reason`. */
  textsSuppressed: 'TextsSuppressed',
  /** Kept over a carrier cap, released the next day or expired; `reason`. */
  textsHeld: 'TextsHeld',
  textsReleased: 'TextsReleased',
  textsExpired: 'TextsExpired',
  /** A customer's text, by what it was read as; `intent`. */
  inboundTexts: 'InboundTexts',
  /** A staff member's command by text; `command`, `status` (200, 400, 403, 404 …). */
  staffCommands: 'StaffCommands',
  /** Members of a campaign's audience whose text was queued. */
  campaignMembersQueued: 'CampaignMembersQueued',
  /** A posting to a member's books; `type` (earn, redeem, expire …), `outcome` (applied, replayed, insufficient …). */
  ledgerOperations: 'LedgerOperations',
  /** An invocation that failed, a record of a batch that will be tried again, a 5xx answer. */
  errors: 'Errors',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];
export type Dimensions = Readonly<Record<string, string>>;

interface Tally {
  name: MetricName;
  dimensions: Dimensions;
  value: number;
}

/**
 * Counts of this execution environment since the last flush, summed by name and dimensions: one
 * invocation's texts make one EMF line per set of dimensions, however many there were.
 */
const tallies = new Map<string, Tally>();

// The `service` dimension: POWERTOOLS_SERVICE_NAME (mcrm-<function>), read when the module loads.
const service = process.env[settings.serviceName] || 'service_undefined';
const serviceDimension = 'service';

/** Metrics are off where POWERTOOLS_METRICS_DISABLED says so, else where POWERTOOLS_DEV is on. */
const metricsDisabled = (() => {
  const flag = (name: string) =>
    ['1', 'y', 'yes', 't', 'true', 'on'].includes(process.env[name]?.trim().toLowerCase() ?? '');
  return process.env.POWERTOOLS_METRICS_DISABLED !== undefined
    ? flag('POWERTOOLS_METRICS_DISABLED')
    : flag('POWERTOOLS_DEV');
})();

/**
 * One CloudWatch embedded metric format document: the metrics of one set of dimensions, under two
 * dimension sets, the service with the metrics' own dimensions and the service alone. Written as
 * Powertools for AWS Lambda writes it, without its package in every bundle.
 */
function emfDocument(
  dimensions: readonly (readonly [string, string])[],
  metrics: readonly Tally[],
  at: number,
) {
  const named = dimensions.filter(([name, value]) => name !== '' && value !== '');
  const dimensionSets = named.length
    ? [[serviceDimension, ...named.map(([name]) => name)], [serviceDimension]]
    : [[serviceDimension]];
  return {
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: dimensionSets,
          Metrics: metrics.map(({ name }) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    [serviceDimension]: service,
    ...Object.fromEntries(named),
    ...Object.fromEntries(metrics.map(({ name, value }) => [name, value])),
  };
}

/** Adds `value` (1 by default) to a metric: written when the invocation ends, as CloudWatch EMF on stdout. */
export function count(name: MetricName, dimensions: Dimensions = {}, value = 1): void {
  if (value === 0) return;
  const names = Object.keys(dimensions).sort();
  const key = [name, ...names.map((dimension) => `${dimension}=${dimensions[dimension]}`)].join('|');
  const tally = tallies.get(key);
  if (tally) tally.value += value;
  else tallies.set(key, { name, dimensions, value });
}

/** The text of a reason up to its first colon: `carrier-cap: at most 1 …` is `carrier-cap`. */
export const reasonCode = (reason: string): string => reason.split(':', 1)[0] as string;

/**
 * Writes what was counted: one EMF line per set of dimensions, each metric under two dimension sets,
 * the service alone (what an alarm reads) and the service with the metric's own dimensions.
 */
export function flushMetrics(): void {
  const groups = new Map<string, Tally[]>();
  for (const tally of tallies.values()) {
    const key = JSON.stringify(Object.entries(tally.dimensions).sort());
    groups.set(key, [...(groups.get(key) ?? []), tally]);
  }
  tallies.clear();
  if (metricsDisabled) return;
  for (const group of groups.values()) {
    const [first] = group as [Tally];
    const line = JSON.stringify(emfDocument(Object.entries(first.dimensions), group, Date.now()));
    process.stdout.write(`${line}\n`);
  }
}

/**
 * A middy middleware that writes the invocation's metrics when it ends, and counts it in `Errors`
 * when it fails (or answers 5xx, as an HTTP error handler used after this one makes a failure).
 */
export function publishMetrics(): MiddlewareObj {
  return {
    after: async (request) => {
      if (isServerError(request.response)) count(metricNames.errors);
      flushMetrics();
    },
    onError: async (request) => {
      if (request.response === undefined || isServerError(request.response)) count(metricNames.errors);
      flushMetrics();
    },
  };
}

function isServerError(response: unknown): boolean {
  const status = (response as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' && status >= 500;
}
