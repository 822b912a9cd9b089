import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { type ReminderScheduleAction, reminderSchedules } from '../../shared/resources';

const scheduler = 'scheduler.amazonaws.com';
const actionNames: Record<ReminderScheduleAction, string> = {
  create: 'scheduler:CreateSchedule',
  delete: 'scheduler:DeleteSchedule',
};

/**
 * Merchant reminders on EventBridge Scheduler: the schedule group the functions create one schedule
 * per reminder in, and the role Scheduler assumes to invoke the reminder function. Schedules are
 * created at run time, so the group and the role are all the stack holds.
 */
export class ReminderSchedules extends Construct {
  readonly group: ScheduleGroup;
  /** Assumed only by EventBridge Scheduler, for schedules of this group, to invoke the target only. */
  readonly role: Role;
  /** Every schedule in the group (schedule names are chosen at run time). */
  readonly schedulesArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: reminderSchedules.group });
    this.role = new Role(this, 'InvokeRole', {
      description: 'EventBridge Scheduler invokes the scheduled-reminders function with this role',
      // Only Scheduler acting for this account's reminder group (confused-deputy guard).
      assumedBy: new ServicePrincipal(scheduler, {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });
    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${reminderSchedules.group}/*`,
    });
  }

  /** The function reminder schedules invoke: the role may invoke it and nothing else. */
  allowInvoking(target: IFunction): void {
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
  }

  /** A function that creates (or deletes) reminder schedules, passing the invoke role to Scheduler. */
  allowScheduling(role: Role, actions: readonly ReminderScheduleAction[]): void {
    role.addToPolicy(
      new PolicyStatement({
        actions: actions.map((action) => actionNames[action]),
        resources: [this.schedulesArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': scheduler } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${reminderSchedules.group}/*]`,
      reason:
        'Each reminder gets its own schedule, named when the merchant creates it; the grant covers only ' +
        `schedules in the ${reminderSchedules.group} group.`,
    });
  }
}
