import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import {
  type ScheduleAction,
  type ScheduleGroupDefinition,
  type ScheduleGroupKey,
  scheduleGroups,
} from '../../shared/resources';

const scheduler = 'scheduler.amazonaws.com';
const actionNames: Record<ScheduleAction, string> = {
  create: 'scheduler:CreateSchedule',
  delete: 'scheduler:DeleteSchedule',
};

/**
 * One group of `scheduleGroups` on EventBridge Scheduler: the schedule group functions create
 * schedules in at run time, and the role Scheduler assumes to invoke the group's target. Schedules
 * are created at run time, so the group and the role are all the stack holds.
 */
export class Schedules extends Construct {
  readonly group: ScheduleGroup;
  /** Assumed only by EventBridge Scheduler, for schedules of this group, to invoke the target only. */
  readonly role: Role;
  /** Every schedule in the group (schedule names are chosen at run time). */
  readonly schedulesArn: string;
  private readonly declared: ScheduleGroupDefinition;

  constructor(scope: Construct, id: string, key: ScheduleGroupKey) {
    super(scope, id);
    const stack = Stack.of(this);
    this.declared = scheduleGroups[key];
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: this.declared.group });
    this.role = new Role(this, 'InvokeRole', {
      description: `EventBridge Scheduler invokes the ${this.declared.target} function with this role`,
      // Only Scheduler acting for this account's group (confused-deputy guard).
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
      resourceName: `${this.declared.group}/*`,
    });
  }

  /** The function the group's schedules invoke: the role may invoke it and nothing else. */
  allowInvoking(target: IFunction): void {
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
  }

  /** A function that creates (or deletes) the group's schedules, passing the invoke role to Scheduler. */
  allowScheduling(role: Role, actions: readonly ScheduleAction[]): void {
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
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.declared.group}/*]`,
      reason:
        'Each schedule is named at run time (per reminder, per campaign, per deferred run); the grant ' +
        `covers only schedules in the ${this.declared.group} group.`,
    });
  }
}
