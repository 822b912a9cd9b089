import { Button, Card, Descriptions, Form, Input, Select, Tag } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { type Registration, type Template, useRegisterTemplate } from '../api/templates';

const fields = ['providerTemplateId', 'signature', 'status'] as const;
const statusColor = { pending: 'processing', approved: 'success', rejected: 'error' } as const;

/** The provider's registration of a template (报备), as it stands, and recording its review. */
export function RegistrationStatus({ registration }: { registration: Template['registration'] }) {
  const t = useT();
  return registration ? (
    <Tag color={statusColor[registration.status]}>{t(`templates.registration.${registration.status}`)}</Tag>
  ) : (
    <Tag>{t('templates.registration.none')}</Tag>
  );
}

export function RegistrationCard({ template }: { template: Template }) {
  const t = useT();
  const [form] = Form.useForm<Registration>();
  const register = useRegisterTemplate();
  const { registration } = template;
  return (
    <Card
      size="small"
      title={t('templates.registration')}
      extra={<RegistrationStatus registration={registration} />}
    >
      {registration && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('templates.providerTemplateId')}>
            {registration.providerTemplateId}
          </Descriptions.Item>
          <Descriptions.Item label={t('templates.signature')}>{registration.signature}</Descriptions.Item>
        </Descriptions>
      )}
      <Form<Registration>
        form={form}
        name="registration"
        layout="vertical"
        requiredMark={false}
        initialValues={registration ?? { status: 'pending' }}
        onFinish={(values) => register.mutate({ templateId: template.templateId, registration: values })}
      >
        <Form.Item
          label={t('templates.providerTemplateId')}
          name="providerTemplateId"
          rules={[{ required: true, whitespace: true, message: t('templates.providerTemplateIdRequired') }]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('templates.signature')}
          name="signature"
          rules={[{ required: true, whitespace: true, message: t('templates.signatureRequired') }]}
        >
          <Input maxLength={14} placeholder="【花店】" autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('templates.registrationStatus')} name="status">
          <Select
            options={(['pending', 'approved', 'rejected'] as const).map((status) => ({
              value: status,
              label: t(`templates.registration.${status}`),
            }))}
          />
        </Form.Item>
        <FormProblem
          title={t('templates.registerFailed')}
          error={register.error}
          form={form}
          fields={fields}
        />
        <Button htmlType="submit" loading={register.isPending}>
          {t('templates.registerSave')}
        </Button>
      </Form>
    </Card>
  );
}
