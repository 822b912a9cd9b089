import { Button, DatePicker, Flex, Form, Input, InputNumber, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { ulid } from 'ulidx';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { centsOf } from '../../../lib/money';
import { useStoreName } from '../../stores/api/stores';
import { StoreSelect } from '../../stores/components/store-select';
import { type CardProductInput, useCreateCardProduct } from '../api/products';

interface ProductFields {
  name: string;
  uses: number;
  priceYuan: number;
  validityKind: 'days' | 'until';
  days?: number;
  date?: Dayjs;
  stores?: string[];
}
const fields = ['name', 'uses', 'priceCents', 'validity', 'stores'] as const;

function toInput(values: ProductFields, productId: string): CardProductInput {
  return {
    productId,
    name: values.name,
    uses: values.uses,
    priceCents: centsOf(values.priceYuan),
    validity:
      values.validityKind === 'days'
        ? { kind: 'days', days: values.days ?? 0 }
        : { kind: 'until', date: values.date?.format('YYYY-MM-DD') ?? '' },
    ...(values.stores && values.stores.length > 0 ? { stores: values.stores } : {}),
  };
}

/** A new count card: its name, uses, price, how long it lasts, and (kept for later) where it is valid. */
export function ProductForm({ onSaved }: { onSaved: () => void }) {
  const t = useT();
  const { hasStores } = useStoreName();
  const [form] = Form.useForm<ProductFields>();
  const create = useCreateCardProduct();
  // Made when the form opens: a double click or a retry after a lost answer creates one product.
  const [productId] = useState(() => ulid());
  const kind = Form.useWatch('validityKind', form);
  return (
    <Form
      form={form}
      name="count-card"
      layout="vertical"
      requiredMark={false}
      initialValues={{ validityKind: 'days', days: 365, uses: 10 }}
      onFinish={(values) => create.mutate(toInput(values, productId), { onSuccess: onSaved })}
    >
      <Form.Item
        label={t('countCards.name')}
        name="name"
        rules={[{ required: true, message: t('countCards.nameRequired') }]}
      >
        <Input maxLength={40} autoComplete="off" placeholder={t('countCards.namePlaceholder')} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item
          label={t('countCards.uses')}
          name="uses"
          rules={[{ required: true }]}
          style={{ flex: '1 1 120px' }}
        >
          <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label={t('countCards.price')}
          name="priceYuan"
          rules={[{ required: true, message: t('countCards.priceRequired') }]}
          style={{ flex: '1 1 120px' }}
        >
          <InputNumber min={0} max={1_000_000} precision={2} prefix="¥" style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
      <Form.Item label={t('countCards.validity')} name="validityKind">
        <Radio.Group
          options={[
            { value: 'days', label: t('countCards.validityDays') },
            { value: 'until', label: t('countCards.validityUntil') },
          ]}
        />
      </Form.Item>
      {kind === 'until' ? (
        <Form.Item label={t('countCards.until')} name="date" rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      ) : (
        <Form.Item label={t('countCards.days')} name="days" rules={[{ required: true }]}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      )}
      {hasStores && (
        <Form.Item label={t('countCards.stores')} name="stores" extra={t('countCards.storesHint')}>
          <StoreSelect mode="multiple" placeholder={t('countCards.storesPlaceholder')} />
        </Form.Item>
      )}
      <FormProblem title={t('countCards.saveFailed')} error={create.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" loading={create.isPending} block>
        {t('countCards.create')}
      </Button>
    </Form>
  );
}
