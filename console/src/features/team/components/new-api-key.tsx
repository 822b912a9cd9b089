import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { useCreateApiKey } from '../api/api-keys';

const fields = ['name'] as const;

/** Makes a key, then shows its secret: once, as the API gives it only in this answer. */
export function NewApiKey({ onDone }: { onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name?: string }>();
  const create = useCreateApiKey();
  const [secret, setSecret] = useState<string>();

  if (secret) {
    return (
      <>
        <Alert type="warning" showIcon title={t('apiKeys.shownOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          copyable={{ text: secret }}
          code
          style={{ wordBreak: 'break-all' }}
          aria-label={t('apiKeys.secret')}
        >
          {secret}
        </Typography.Paragraph>
        <Button type="primary" block onClick={onDone}>
          {t('apiKeys.done')}
        </Button>
      </>
    );
  }
  return (
    <Form
      form={form}
      name="newApiKey"
      layout="vertical"
      onFinish={({ name }) =>
        create.mutate(name?.trim() || undefined, { onSuccess: (made) => setSecret(made.apiKey) })
      }
    >
      <Form.Item label={t('apiKeys.name')} name="name" extra={t('apiKeys.nameHint')}>
        <Input maxLength={40} autoComplete="off" />
      </Form.Item>
      <FormProblem title={t('apiKeys.createFailed')} error={create.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" block loading={create.isPending}>
        {t('apiKeys.create')}
      </Button>
    </Form>
  );
}
