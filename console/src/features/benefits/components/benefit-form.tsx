import { Button, Flex, Form, Input, InputNumber, Select } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { type Benefit, type BenefitInput, useBenefits, useSaveBenefit, useTiers } from '../api/benefits';

/** The form's fields: a benefit as the API takes it, the optional numbers empty when unset. */
interface BenefitFields {
  code: string;
  name: string;
  description?: string;
  tiers: string[];
  pricePoints?: number | null;
  limit: BenefitInput['limit'];
  validDays?: number | null;
  stock?: number | null;
}
const fields = [
  'code',
  'name',
  'description',
  'tiers',
  'pricePoints',
  'limit',
  'validDays',
  'stock',
] as const;

const numberOrNothing = (value: number | null | undefined) => (typeof value === 'number' ? value : undefined);

function toInput(values: BenefitFields, editing?: Benefit): BenefitInput {
  const pricePoints = numberOrNothing(values.pricePoints);
  const validDays = numberOrNothing(values.validDays);
  return {
    code: values.code.trim().toUpperCase(),
    name: values.name,
    ...(values.description ? { description: values.description } : {}),
    tiers: values.tiers ?? [],
    ...(pricePoints !== undefined ? { pricePoints } : {}),
    limit: values.limit,
    ...(validDays !== undefined ? { validDays } : {}),
    // Left as it was, the stock is not sent: claims may have used some since the page was read.
    ...(editing && values.stock === editing.stock ? {} : { stock: numberOrNothing(values.stock) ?? null }),
    // What the form does not show stays as it is.
    ...(editing?.valueByTier ? { valueByTier: editing.valueByTier } : {}),
    ...(editing?.birthdayOnly ? { birthdayOnly: editing.birthdayOnly } : {}),
    ...(editing ? { active: editing.active } : {}),
  };
}

/**
 * A catalog entry: who may claim it (tiers, or every member when priced in points and no tier is
 * chosen), its price in points (积分兑换), how often, how long it lasts and how many there are. A
 * refusal shows at the field it names.
 */
export function BenefitForm({ editing, onSaved }: { editing?: Benefit; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<BenefitFields>();
  const save = useSaveBenefit();
  const tiers = useTiers();
  const catalog = useBenefits();
  const initial: Partial<BenefitFields> = editing
    ? { ...editing, pricePoints: editing.pricePoints ?? null, stock: editing.stock ?? null }
    : { tiers: [], limit: 'monthly' };
  return (
    <Form
      form={form}
      name="benefit"
      layout="vertical"
      requiredMark={false}
      initialValues={initial}
      onFinish={(values) => save.mutate(toInput(values, editing), { onSuccess: onSaved })}
    >
      <Flex gap={12} wrap>
        <Form.Item
          label={t('benefits.code')}
          name="code"
          extra={t('benefits.codeHint')}
          rules={[
            { required: true, message: t('benefits.codeRequired') },
            // The API saves a benefit by its code: a new one under a code in use would replace that one.
            {
              validator: (_, code?: string) => {
                const taken = editing
                  ? undefined
                  : catalog.data?.find((b) => b.code === code?.trim().toUpperCase());
                return taken
                  ? Promise.reject(new Error(t('benefits.codeTaken', { name: taken.name })))
                  : Promise.resolve();
              },
            },
          ]}
          style={{ flex: '1 1 140px' }}
        >
          <Input maxLength={20} disabled={editing !== undefined} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('benefits.name')}
          name="name"
          rules={[{ required: true, message: t('benefits.nameRequired') }]}
          style={{ flex: '2 1 200px' }}
        >
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
      </Flex>
      <Form.Item label={t('benefits.pricePoints')} name="pricePoints" extra={t('benefits.pricePointsHint')}>
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label={t('benefits.tiers')} name="tiers" extra={t('benefits.tiersHint')}>
        <Select
          mode="multiple"
          allowClear
          loading={tiers.isLoading}
          placeholder={t('benefits.everyMember')}
          options={(tiers.data ?? []).map((tier) => ({ value: tier.code, label: tier.name }))}
        />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item label={t('benefits.limit')} name="limit" style={{ flex: '1 1 140px' }}>
          <Select
            options={(['once', 'monthly', 'yearly'] as const).map((limit) => ({
              value: limit,
              label: t(`benefits.limit.${limit}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t('benefits.validDays')}
          name="validDays"
          extra={t('benefits.validDaysHint')}
          style={{ flex: '1 1 140px' }}
        >
          <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label={t('benefits.stock')}
          name="stock"
          extra={t('benefits.stockHint')}
          style={{ flex: '1 1 140px' }}
        >
          <InputNumber min={0} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
      <Form.Item label={t('benefits.description')} name="description">
        <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
      </Form.Item>
      <FormProblem title={t('benefits.saveFailed')} error={save.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" block loading={save.isPending}>
        {t('benefits.save')}
      </Button>
    </Form>
  );
}
