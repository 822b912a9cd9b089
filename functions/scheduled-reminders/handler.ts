import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Env, schedulerClient, sqsClient } from '../../shared/env';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { reminderSchedules } from '../../shared/resources';
import { eventBridgeReminderScheduler } from '../../shared/scheduler/event-bridge-reminder-scheduler';
import type { ReminderScheduler } from '../../shared/scheduler/reminder-scheduler';
import { reminderInvocationSchema } from '../../shared/schemas/reminder';
import { careStore } from '../../shared/store/care';
import { directoryStore } from '../../shared/store/directory';
import { membersStore } from '../../shared/store/members';
import { remindersStore } from '../../shared/store/reminders';
import { type ReminderDeps, sendReminder } from './reminder';

export type ScheduledReminderDeps = ReminderDeps & {
  /** The scheduler, scheduling deferred sends to `targetArn`: this function, as it was invoked. */
  scheduler(targetArn: string): Pick<ReminderScheduler, 'defer'>;
};

/** Invoked by a reminder's EventBridge Scheduler schedule with `{ merchantId, reminderId, scheduledTime }`. */
export function createHandler(deps: ScheduledReminderDeps) {
  return middy(async (event: unknown, context: Context) => {
    const invocation = reminderInvocationSchema.parse(event);
    const result = await sendReminder(invocation, deps.scheduler(context.invokedFunctionArn), deps);
    logger.info('reminder fired', { ...invocation, ...result });
    return result;
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): ScheduledReminderDeps {
  const group = env.get(reminderSchedules.groupEnvVar);
  const roleArn = env.get(reminderSchedules.roleEnvVar);
  return {
    reminders: remindersStore(env.dynamo(), env.table('care')),
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members')),
    care: careStore(env.dynamo(), env.table('care'), env.table('members')),
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
    scheduler: (targetArn) =>
      eventBridgeReminderScheduler(schedulerClient(env), { group, roleArn, targetArn }),
    clock: () => new Date(),
  };
}
