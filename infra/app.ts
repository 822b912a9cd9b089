import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McrmStack, type McrmStackProps } from './stack';

/** Builds the app with cdk-nag attached; the CLI entry and the infra tests share it. */
export function createApp(props: AppProps = {}): { app: App; stack: McrmStack } {
  const app = new App(props);
  const smsConfigurationSet = app.node.tryGetContext('smsConfigurationSet');
  if (smsConfigurationSet !== undefined && typeof smsConfigurationSet !== 'string') {
    throw new Error('Context smsConfigurationSet must be a string');
  }
  const stack = new McrmStack(app, 'Mcrm', {
    description: 'mcrm: SMS CRM and loyalty backend',
    smsConfigurationSet,
    consoleDomain: consoleDomainOf(app),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** The console's own domain, from context `consoleDomain` and `consoleCertificateArn` given together. */
function consoleDomainOf(app: App): McrmStackProps['consoleDomain'] {
  const name = app.node.tryGetContext('consoleDomain');
  const certificateArn = app.node.tryGetContext('consoleCertificateArn');
  if (name === undefined && certificateArn === undefined) return undefined;
  if (typeof name !== 'string' || typeof certificateArn !== 'string') {
    throw new Error(
      'Context consoleDomain and consoleCertificateArn go together: the domain, and the ARN of its ACM ' +
        'certificate in us-east-1',
    );
  }
  return { name, certificateArn };
}
