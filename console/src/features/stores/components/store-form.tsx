import { Button, Form, Input, Select } from 'antd';
import { useMemo } from 'react';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import { type Store, useChangeStore, useCreateStore } from '../api/stores';

interface StoreFields {
  storeId: string;
  name: string;
  address?: string;
  timeZone: string;
}
const fields = ['storeId', 'name', 'address', 'timeZone'] as const;
const storeIdPattern = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The time zones a store may keep: the browser's list, the shop's own first. */
function useTimeZones(own: string) {
  return useMemo(() => {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return [own, ...all.filter((zone) => zone !== own)].map((zone) => ({ value: zone, label: zone }));
  }, [own]);
}

/**
 * A new store, or a change to one: its code is kept for good, so it is asked for only when the store
 * is made. A refusal shows at the field it names (a code taken by another store, say).
 */
export function StoreForm({
  store,
  shopTimeZone,
  onSaved,
}: {
  store?: Store;
  shopTimeZone: string;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<StoreFields>();
  const create = useCreateStore();
  const change = useChangeStore();
  const saving = store ? change : create;
  const timeZones = useTimeZones(shopTimeZone);
  const save = (values: StoreFields) => {
    const address = values.address?.trim() || undefined;
    if (store) {
      change.mutate(
        { storeId: store.storeId, name: values.name, address: address ?? null, timeZone: values.timeZone },
        { onSuccess: onSaved },
      );
    } else {
      create.mutate(
        { ...values, ...(address ? { address } : { address: undefined }) },
        { onSuccess: onSaved },
      );
    }
  };
  return (
    <Form<StoreFields>
      form={form}
      name="store"
      layout="vertical"
      requiredMark={false}
      initialValues={store ?? { timeZone: shopTimeZone }}
      onFinish={save}
    >
      <Form.Item
        label={t('stores.storeId')}
        name="storeId"
        extra={store ? undefined : t('stores.storeIdHint')}
        rules={[
          { required: true, message: t('stores.storeIdRequired') },
          { pattern: storeIdPattern, message: t('stores.storeIdRule') },
        ]}
      >
        <Input disabled={store !== undefined} maxLength={32} autoComplete="off" placeholder="xuhui-1" />
      </Form.Item>
      <Form.Item
        label={t('stores.name')}
        name="name"
        rules={[{ required: true, whitespace: true, message: t('stores.nameRequired') }]}
      >
        <Input maxLength={40} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('stores.address')} name="address">
        <Input maxLength={200} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('stores.timeZone')} name="timeZone" extra={t('stores.timeZoneHint')}>
        <Select showSearch options={timeZones} />
      </Form.Item>
      <FormProblem title={t('stores.saveFailed')} error={saving.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" block loading={saving.isPending}>
        {store ? t('stores.save') : t('stores.create')}
      </Button>
    </Form>
  );
}
