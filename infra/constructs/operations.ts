import { CfnCondition, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type CfnSubscription, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type MetricName, metricNames, metricsNamespace } from '../../shared/metrics';
import { type FunctionName, serviceNameOf } from '../../shared/resources';
import { isDeadLetterQueue } from './dead-letters';

/** Texts failed over texts sent, in 15 minutes, above which someone should look (a carrier or provider fault). */
export const sendFailureRatePercent = 5;
/** A text waiting longer than this on the outbound queue: the sender is stuck or far behind. */
export const oldestOutboundMessageSeconds = 30 * 60;

export interface OperationsProps {
  functions: Record<FunctionName, NodejsFunction>;
  outbound: Queue;
}

/**
 * What whoever runs the stack watches: alarms on every dead-letter queue, on each function's errors
 * and throttles, on the share of texts that fail, the age of the oldest outbound text and the day's
 * SMS spend, to an operations topic (mailed to the address the `OperationsEmail` parameter gives), and a
 * dashboard of the same figures. The texts' figures are the functions' own metrics (shared/metrics.ts),
 * written as CloudWatch EMF: no API calls.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const email = new CfnParameter(stack, 'OperationsEmail', {
      type: 'String',
      default: '',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      description: 'Where the alarms are mailed (confirm the subscription AWS mails first); empty: no mail',
    });
    const spendCeiling = new CfnParameter(stack, 'DailySmsSpendCeilingYuan', {
      type: 'Number',
      default: 500,
      minValue: 1,
      description:
        'An alarm goes off when a day (UTC) of texts costs more than this many yuan, all merchants together',
    });

    // CloudWatch publishes to an encrypted topic only with a customer managed key that lets it.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the operations alarms on their SNS topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    const subscription = new Subscription(this, 'Mail', {
      topic: this.topic,
      protocol: SubscriptionProtocol.EMAIL,
      endpoint: email.valueAsString,
    });
    const hasEmail = new CfnCondition(this, 'HasEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, '')),
    });
    (subscription.node.defaultChild as CfnSubscription).cfnOptions.condition = hasEmail;
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, make: (id: string) => Alarm) => {
      const made = make(alarmId);
      made.addAlarmAction(action);
      this.alarms.push(made);
      return made;
    };

    const deadLetters = stack.node.findAll().filter(isDeadLetterQueue);
    for (const queue of deadLetters) {
      const path = queue.node.path.split('/').slice(1).join('/');
      // Named by the queue's place in the app, so adding a queue elsewhere renames no alarm.
      const name = path
        .split('/')
        .map((part) => part.replace(/[^A-Za-z0-9]/g, ''))
        .join('');
      alarm(`DeadLetters${name}`, (alarmId) =>
        queue
          .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
          .createAlarm(this, alarmId, {
            alarmDescription: `Something could not be processed or delivered: a message is in the dead-letter queue ${path}`,
            threshold: 0,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }
    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, NodejsFunction][]) {
      const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
      for (const [kind, metric] of [
        ['Errors', fn.metricErrors(fiveMinutes)],
        ['Throttles', fn.metricThrottles(fiveMinutes)],
      ] as const) {
        alarm(`${kind}${name}`, (alarmId) =>
          metric.createAlarm(this, alarmId, {
            alarmDescription: `${name}: ${kind === 'Errors' ? 'an invocation failed' : 'an invocation was throttled'}`,
            threshold: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        );
      }
    }

    const failureRate = this.failureRate(Duration.minutes(15));
    alarm('SendFailureRate', (alarmId) =>
      failureRate.createAlarm(this, alarmId, {
        alarmDescription: `More than ${sendFailureRatePercent}% of the texts sent in 15 minutes failed (provider refusals, last attempts, carrier reports)`,
        threshold: sendFailureRatePercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    const oldest = props.outbound.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    alarm('OldestOutboundText', (alarmId) =>
      oldest.createAlarm(this, alarmId, {
        alarmDescription: `A text has waited on the outbound queue for more than ${oldestOutboundMessageSeconds / 60} minutes: the sender is stuck or far behind`,
        threshold: oldestOutboundMessageSeconds,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    const spend = this.spendYuan(Duration.days(1));
    alarm('DailySmsSpend', (alarmId) =>
      spend.createAlarm(this, alarmId, {
        alarmDescription: 'The texts sent today (UTC) cost more than the DailySmsSpendCeilingYuan parameter',
        threshold: spendCeiling.valueAsNumber,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.dashboard = this.dashboardOf(props, deadLetters);
  }

  /** One of the functions' own metrics, summed over the period, under the function's service alone. */
  private ours(name: MetricName, service: FunctionName, period: Duration, label?: string): Metric {
    return new Metric({
      namespace: metricsNamespace,
      metricName: name,
      dimensionsMap: { service: serviceNameOf(service) },
      statistic: 'Sum',
      period,
      ...(label ? { label } : {}),
    });
  }

  /** Texts failed (the sender's and the carrier's reports) per 100 texts sent in the period. */
  private failureRate(period: Duration): MathExpression {
    return new MathExpression({
      expression: 'IF(sent > 0, 100 * (FILL(refused, 0) + FILL(undelivered, 0)) / sent, 0)',
      usingMetrics: {
        sent: this.ours(metricNames.textsSent, 'send-sms', period),
        refused: this.ours(metricNames.textsFailed, 'send-sms', period),
        undelivered: this.ours(metricNames.textsFailed, 'delivery-receipts', period),
      },
      label: 'texts failed, % of sent',
      period,
    });
  }

  /** What the texts sent in the period cost, in yuan (the metric counts fen). */
  private spendYuan(period: Duration): MathExpression {
    return new MathExpression({
      expression: 'FILL(fen, 0) / 100',
      usingMetrics: { fen: this.ours(metricNames.textCostFen, 'send-sms', period) },
      label: 'SMS spend, yuan',
      period,
    });
  }

  private dashboardOf(props: OperationsProps, deadLetters: Queue[]): Dashboard {
    const fiveMinutes = Duration.minutes(5);
    const texts = (name: MetricName, service: FunctionName, label: string) =>
      this.ours(name, service, fiveMinutes, label);
    /** A metric of ours by one of its dimensions, whatever values it takes (dashboards may SEARCH; alarms may not). */
    const byDimension = (name: MetricName, service: FunctionName, dimension: string): IMetric =>
      new MathExpression({
        expression: `SEARCH('{${metricsNamespace},service,${dimension}} MetricName="${name}" service="${serviceNameOf(service)}"', 'Sum', 300)`,
        label: dimension,
        period: fiveMinutes,
      });
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 12, height: 6 });
    const fns = Object.entries(props.functions) as [FunctionName, NodejsFunction][];
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    dashboard.addWidgets(
      graph('Texts by outcome', [
        texts(metricNames.textsSent, 'send-sms', 'sent'),
        texts(metricNames.textsDelivered, 'delivery-receipts', 'delivered'),
        texts(metricNames.textsFailed, 'send-sms', 'failed (provider, last attempt)'),
        texts(metricNames.textsFailed, 'delivery-receipts', 'failed (carrier)'),
        texts(metricNames.textsSuppressed, 'send-sms', 'suppressed'),
        texts(metricNames.textsHeld, 'send-sms', 'held (carrier cap)'),
        texts(metricNames.textsReleased, 'care-jobs', 'held, released'),
        texts(metricNames.textsExpired, 'care-jobs', 'held, expired'),
      ]),
      graph(`Send failure rate, 15 minutes (alarm above ${sendFailureRatePercent}%)`, [
        this.failureRate(Duration.minutes(15)),
      ]),
    );
    dashboard.addWidgets(
      graph('Texts suppressed by reason', [byDimension(metricNames.textsSuppressed, 'send-sms', 'reason')]),
      graph('Texts sent by category', [byDimension(metricNames.textsSent, 'send-sms', 'category')]),
    );
    dashboard.addWidgets(
      new SingleValueWidget({
        title: 'SMS spend today (UTC), yuan',
        metrics: [this.spendYuan(Duration.days(1))],
        width: 6,
        height: 6,
      }),
      new GraphWidget({
        title: 'Parts sent',
        left: [texts(metricNames.textParts, 'send-sms', 'parts')],
        width: 6,
        height: 6,
      }),
      graph('Oldest outbound text, seconds', [
        props.outbound.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
      ]),
    );
    dashboard.addWidgets(
      graph('Inbound texts by intent', [byDimension(metricNames.inboundTexts, 'inbound-sms', 'intent')]),
      graph('Staff commands', [byDimension(metricNames.staffCommands, 'inbound-sms', 'command')]),
    );
    dashboard.addWidgets(
      graph('Campaign members queued', [
        texts(metricNames.campaignMembersQueued, 'campaign-fanout', 'members queued'),
      ]),
      graph('Ledger postings by type', [
        new MathExpression({
          expression: `SEARCH('{${metricsNamespace},service,type,outcome} MetricName="${metricNames.ledgerOperations}"', 'Sum', 300)`,
          label: 'postings',
          period: fiveMinutes,
        }),
      ]),
    );
    dashboard.addWidgets(
      graph(
        'Function errors',
        fns.map(([name, fn]) => fn.metricErrors({ period: fiveMinutes, label: name })),
      ),
      graph(
        'Function throttles',
        fns.map(([name, fn]) => fn.metricThrottles({ period: fiveMinutes, label: name })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Errors the functions counted (failed invocations, retried records, 5xx answers)',
        fns.map(([name]) => this.ours(metricNames.errors, name, fiveMinutes, name)),
      ),
      graph(
        'Dead-letter queues, messages',
        deadLetters.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period: fiveMinutes,
            statistic: 'Maximum',
            label: queue.node.path.split('/').slice(1, -1).join('/'),
          }),
        ),
      ),
    );
    return dashboard;
  }
}
