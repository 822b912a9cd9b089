import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { McrmStack } from './stack';

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
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
