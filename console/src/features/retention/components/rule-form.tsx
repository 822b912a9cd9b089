import { Button, Flex, Form, Input, InputNumber, Radio, Select } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import {
  type NewRule,
  ruleZones,
  useCreateRule,
  useRuleBenefits,
  useRuleTemplates,
  type Zone,
} from '../api/retention';

interface RuleFields {
  name: string;
  zone: Zone;
  templateId: string;
  grant: 'none' | 'points' | 'benefit';
  points?: number | null;
  benefitCode?: string;
  coolDownDays: number;
  holdoutPercent: number;
}
const fields = [
  'name',
  'zone',
  'templateId',
  'grant',
  'points',
  'benefitCode',
  'coolDownDays',
  'holdoutPercent',
];
const fieldOf = { 'grant.points': 'points', 'grant.code': 'benefitCode' };

function toRule(values: RuleFields): NewRule {
  const grant =
    values.grant === 'points' && values.points
      ? { kind: 'points' as const, points: values.points }
      : values.grant === 'benefit' && values.benefitCode
        ? { kind: 'benefit' as const, code: values.benefitCode }
        : undefined;
  return {
    name: values.name,
    zone: values.zone,
    templateId: values.templateId,
    ...(grant ? { grant } : {}),
    coolDownDays: values.coolDownDays,
    holdoutPercent: values.holdoutPercent,
  };
}

/**
 * A retention rule: when a member enters the zone, text them the template and maybe grant points or a
 * free benefit, at most once per cool-down; a share held out (texted nothing) measures what it does.
 */
export function RuleForm({ onSaved }: { onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<RuleFields>();
  const create = useCreateRule();
  const templates = useRuleTemplates(true);
  const benefits = useRuleBenefits(true);
  const grant = Form.useWatch('grant', form) ?? 'none';
  const freeBenefits = (benefits.data?.benefits ?? []).filter(
    (benefit) => benefit.active && !benefit.pricePoints,
  );

  async function submit(values: RuleFields) {
    const saved = await create.mutateAsync(toRule(values)).catch(() => undefined);
    if (saved) onSaved();
  }

  return (
    <Form<RuleFields>
      form={form}
      name="retention-rule"
      layout="vertical"
      requiredMark={false}
      initialValues={{ zone: 'red', grant: 'none', coolDownDays: 30, holdoutPercent: 10 }}
      onFinish={submit}
    >
      <Form.Item
        label={t('retention.rule.name')}
        name="name"
        rules={[{ required: true, whitespace: true, message: t('retention.rule.nameRequired') }]}
      >
        <Input maxLength={60} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('retention.rule.zone')} name="zone" extra={t('retention.rule.zoneHint')}>
        <Radio.Group
          optionType="button"
          options={ruleZones.map((zone) => ({ value: zone, label: t(`retention.zone.${zone}`) }))}
        />
      </Form.Item>
      <Form.Item
        label={t('retention.rule.template')}
        name="templateId"
        rules={[{ required: true, message: t('retention.rule.templateRequired') }]}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          loading={templates.isLoading}
          options={(templates.data?.templates ?? []).map((template) => ({
            value: template.templateId,
            label: template.name,
          }))}
        />
      </Form.Item>
      <Form.Item label={t('retention.rule.grant')} name="grant">
        <Radio.Group
          optionType="button"
          options={(['none', 'points', 'benefit'] as const).map((kind) => ({
            value: kind,
            label: t(`retention.rule.grant.${kind}`),
          }))}
        />
      </Form.Item>
      {grant === 'points' && (
        <Form.Item
          label={t('retention.rule.points')}
          name="points"
          rules={[{ required: true, message: t('retention.rule.pointsRequired') }]}
        >
          <InputNumber min={1} max={100_000} precision={0} />
        </Form.Item>
      )}
      {grant === 'benefit' && (
        <Form.Item
          label={t('retention.rule.benefit')}
          name="benefitCode"
          extra={t('retention.rule.benefitHint')}
          rules={[{ required: true, message: t('retention.rule.benefitRequired') }]}
        >
          <Select
            loading={benefits.isLoading}
            options={freeBenefits.map((benefit) => ({
              value: benefit.code,
              label: `${benefit.name} (${benefit.code})`,
            }))}
          />
        </Form.Item>
      )}
      <Flex gap={16} wrap>
        <Form.Item label={t('retention.rule.coolDownDays')} name="coolDownDays">
          <InputNumber min={1} max={180} precision={0} addonAfter={t('retention.days')} />
        </Form.Item>
        <Form.Item label={t('retention.rule.holdoutPercent')} name="holdoutPercent">
          <InputNumber min={0} max={50} addonAfter="%" />
        </Form.Item>
      </Flex>
      <FormProblem
        title={t('retention.rule.saveFailed')}
        error={create.error}
        form={form}
        fields={fields}
        fieldOf={fieldOf}
      />
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('retention.rule.save')}
      </Button>
    </Form>
  );
}
