import { Button, Form, Input } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import type { Role } from '../../../lib/staff';
import { useStoreName } from '../../stores/api/stores';
import { StoreSelect } from '../../stores/components/store-select';
import { useAddStaff } from '../api/change-staff';
import { RoleSelect } from './role-select';

interface NewStaff {
  phone: string;
  name: string;
  role: Role;
  storeId: string | null;
}
const fields = ['phone', 'name', 'role', 'storeId'] as const;

/** Someone new who may sign in with their phone, in a role; a refusal shows at the field it names. */
export function AddStaffForm({ onAdded }: { onAdded: () => void }) {
  const t = useT();
  const { hasStores } = useStoreName();
  const [form] = Form.useForm<NewStaff>();
  const add = useAddStaff();
  return (
    <Form
      form={form}
      name="addStaff"
      layout="vertical"
      requiredMark={false}
      initialValues={{ role: 'cashier' }}
      onFinish={(body) =>
        add.mutate(
          { ...body, storeId: body.storeId ?? undefined },
          {
            onSuccess: () => {
              form.resetFields();
              onAdded();
            },
          },
        )
      }
    >
      <Form.Item
        label={t('staff.phone')}
        name="phone"
        rules={[{ required: true, message: t('staff.phoneRequired') }]}
      >
        <Input type="tel" inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item
        label={t('staff.name')}
        name="name"
        rules={[{ required: true, message: t('staff.nameRequired') }]}
      >
        <Input maxLength={40} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('staff.role')} name="role">
        <RoleSelect />
      </Form.Item>
      {hasStores && (
        <Form.Item label={t('stores.store')} name="storeId" extra={t('staff.storeHint')}>
          <StoreSelect noneLabel={t('stores.all')} />
        </Form.Item>
      )}
      <FormProblem title={t('staff.addFailed')} error={add.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" block loading={add.isPending}>
        {t('staff.add')}
      </Button>
    </Form>
  );
}
