import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { type ScheduleGroupKey, scheduleGroups } from '../shared/resources';
import { MerchantApi } from './constructs/api';
import { ConsoleSite } from './constructs/console';
import { Data } from './constructs/data';
import { Functions } from './constructs/functions';
import { Messaging } from './constructs/messaging';
import { Operations } from './constructs/operations';
import { Schedules } from './constructs/schedules';
import { Storage } from './constructs/storage';
import { pascalCase } from './naming';

export interface McrmStackProps extends StackProps {
  /**
   * Name of the End User Messaging SMS configuration set outbound texts go through. The stack creates
   * it, publishing delivery outcomes to the `sms-events` topic; omitted, texts use none and no
   * delivery receipts arrive.
   */
  smsConfigurationSet?: string;
  /** A domain of the merchant's own for the console, with its ACM certificate's ARN (in us-east-1). */
  consoleDomain?: { name: string; certificateArn: string };
}

export class McrmStack extends Stack {
  readonly data: Data;
  readonly messaging: Messaging;
  readonly functions: Functions;
  readonly api: MerchantApi;
  readonly storage: Storage;
  readonly console: ConsoleSite;
  readonly schedules: Record<ScheduleGroupKey, Schedules>;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: McrmStackProps = {}) {
    super(scope, id, props);
    this.data = new Data(this, 'Data');
    this.messaging = new Messaging(this, 'Messaging', { smsConfigurationSet: props.smsConfigurationSet });
    this.storage = new Storage(this, 'Storage', { queues: this.messaging.queues });
    // `ReminderSchedules`, `CampaignSchedules`: the reminders' id predates campaigns and names deployed resources.
    const groups = Object.keys(scheduleGroups) as ScheduleGroupKey[];
    this.schedules = Object.fromEntries(
      groups.map((key) => [key, new Schedules(this, `${pascalCase(key.replace(/s$/, ''))}Schedules`, key)]),
    ) as Record<ScheduleGroupKey, Schedules>;
    this.functions = new Functions(this, 'Functions', {
      tables: this.data.tables,
      queues: this.messaging.queues,
      buckets: this.storage.buckets,
      bus: this.messaging.bus,
      topics: this.messaging.topics,
      smsConfigurationSet: props.smsConfigurationSet,
      schedules: this.schedules,
    });
    this.api = new MerchantApi(this, 'Api', { handler: this.functions.httpHandler });
    // Last of the back end: it finds every dead-letter queue made above.
    this.operations = new Operations(this, 'Operations', {
      functions: this.functions.byName,
      outbound: this.messaging.queues.outbound,
    });
    this.console = new ConsoleSite(this, 'Console', {
      apiUrl: this.api.url,
      uploadOrigins: [`https://${this.storage.buckets.imports.bucketRegionalDomainName}`],
      domain: props.consoleDomain && {
        name: props.consoleDomain.name,
        certificate: Certificate.fromCertificateArn(
          this,
          'ConsoleCertificate',
          props.consoleDomain.certificateArn,
        ),
      },
    });

    new CfnOutput(this, 'InboundSmsTopicArn', {
      description: 'Set as the two-way SMS destination of the origination phone number',
      value: this.messaging.inboundSmsTopic.topicArn,
    });
    new CfnOutput(this, 'SmsEventsTopicArn', {
      description: "Delivery outcomes of sent texts: the SMS configuration set's event destination",
      value: this.messaging.smsEventsTopic.topicArn,
    });
    new CfnOutput(this, 'ApiUrl', { description: 'Merchant API base URL', value: this.api.url });
    new CfnOutput(this, 'ConsoleUrl', {
      description: 'The merchant console; the merchant API is also served under /v1/ there',
      value: this.console.url,
    });
    new CfnOutput(this, 'OperationsTopicArn', {
      description:
        'Where the alarms go: subscribe a pager or a chat here besides the OperationsEmail parameter',
      value: this.operations.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'The CloudWatch dashboard of texts, spend, errors and dead letters',
      value: this.operations.dashboard.dashboardName,
    });
    new CfnOutput(this, 'DirectoryTableName', {
      description: 'TABLE_DIRECTORY for `npm run merchant` (onboarding merchants and keys)',
      value: this.data.tables.directory.tableName,
    });
  }
}
