import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MerchantApi } from './constructs/api';
import { Data } from './constructs/data';
import { Functions } from './constructs/functions';
import { Messaging } from './constructs/messaging';
import { ReminderSchedules } from './constructs/reminders';
import { Storage } from './constructs/storage';

export interface McrmStackProps extends StackProps {
  /** End User Messaging SMS configuration set for outbound texts; omitted means the account default. */
  smsConfigurationSet?: string;
}

export class McrmStack extends Stack {
  readonly data: Data;
  readonly messaging: Messaging;
  readonly functions: Functions;
  readonly api: MerchantApi;
  readonly storage: Storage;
  readonly reminderSchedules: ReminderSchedules;

  constructor(scope: Construct, id: string, props: McrmStackProps = {}) {
    super(scope, id, props);
    this.data = new Data(this, 'Data');
    this.messaging = new Messaging(this, 'Messaging');
    this.storage = new Storage(this, 'Storage', { queues: this.messaging.queues });
    this.reminderSchedules = new ReminderSchedules(this, 'ReminderSchedules');
    this.functions = new Functions(this, 'Functions', {
      tables: this.data.tables,
      queues: this.messaging.queues,
      buckets: this.storage.buckets,
      bus: this.messaging.bus,
      topics: this.messaging.topics,
      smsConfigurationSet: props.smsConfigurationSet,
      reminderSchedules: this.reminderSchedules,
    });
    this.api = new MerchantApi(this, 'Api', { handler: this.functions.httpHandler });

    new CfnOutput(this, 'InboundSmsTopicArn', {
      description: 'Set as the two-way SMS destination of the origination phone number',
      value: this.messaging.inboundSmsTopic.topicArn,
    });
    new CfnOutput(this, 'ApiUrl', { description: 'Merchant API base URL', value: this.api.url });
    new CfnOutput(this, 'DirectoryTableName', {
      description: 'TABLE_DIRECTORY for `npm run merchant` (onboarding merchants and keys)',
      value: this.data.tables.directory.tableName,
    });
  }
}
