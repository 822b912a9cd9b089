import { type BucketKey, buckets } from './buckets';
import { type FunctionDefinition, type FunctionName, functions } from './functions';
import { eventBus, type QueueKey, queues } from './messaging';
import {
  type ScheduleAction,
  type ScheduleGroupDefinition,
  type ScheduleGroupKey,
  scheduleGroups,
} from './schedules';
import { type TableKey, tables } from './tables';

/** Values of SMS_PROVIDER: AWS End User Messaging SMS when deployed, the local gateway simulator. */
export const smsProviders = { aws: 'end-user-messaging', simulator: 'simulator' } as const;

/** Environment variables that are not resources: the SMS provider and its settings. */
export const settings = {
  smsProvider: 'SMS_PROVIDER',
  smsSimulatorUrl: 'SMS_SIMULATOR_URL',
  smsConfigurationSet: 'SMS_CONFIGURATION_SET',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** The key of phones' proofs (shared/domain/phone-proof.ts): a generated secret when deployed. */
  phoneProofKey: 'PHONE_PROOF_KEY',
} as const;

/** The POWERTOOLS_SERVICE_NAME a function's logs and metrics carry: the `service` dimension alarms read. */
export const serviceNameOf = (name: FunctionName): string => `mcrm-${name}`;

/** Where a function's resources are: deployed names in CDK, local names and URLs locally. */
export interface ResourceLocator {
  tableName(key: TableKey): string;
  queueUrl(key: QueueKey): string;
  bucketName(key: BucketKey): string;
  busName: string;
  /** The role EventBridge Scheduler assumes to invoke a group's schedules' target, and the target's ARN. */
  schedulerRoleArn(group: ScheduleGroupKey): string;
  scheduleTargetArn(group: ScheduleGroupKey): string;
}

/**
 * The environment a function runs with, the same in CDK and locally: its tables, queues and
 * bus, and the POWERTOOLS_SERVICE_NAME its logs carry. SMS provider settings are added by the
 * caller (a provider in AWS, the simulator locally).
 */
export function functionEnvironment(name: FunctionName, locate: ResourceLocator): Record<string, string> {
  const fn: FunctionDefinition = functions[name];
  const env: Record<string, string> = { [settings.serviceName]: serviceNameOf(name) };
  for (const key of [...fn.reads, ...fn.writes]) env[tables[key].envVar] = locate.tableName(key);
  for (const key of fn.sendsTo) env[queues[key].envVar] = locate.queueUrl(key);
  for (const key of [...(fn.readsBuckets ?? []), ...(fn.presignsUploadsTo ?? [])]) {
    env[buckets[key].envVar] = locate.bucketName(key);
  }
  if (fn.publishesEvents) env[eventBus.envVar] = locate.busName;
  for (const [key, actions] of Object.entries(fn.schedules ?? {}) as [ScheduleGroupKey, ScheduleAction[]][]) {
    if (actions.length === 0) continue;
    const group: ScheduleGroupDefinition = scheduleGroups[key];
    env[group.groupEnvVar] = group.group;
    env[group.roleEnvVar] = locate.schedulerRoleArn(key);
    // The target schedules its own later invocations to the ARN it was invoked by: its own ARN in its
    // own environment would be a circular reference in CloudFormation.
    if (name !== group.target) env[group.targetEnvVar] = locate.scheduleTargetArn(key);
  }
  return env;
}
