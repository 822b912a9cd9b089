import { Button, Form } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import type { Role } from '../../../lib/staff';
import { useStoreName } from '../../stores/api/stores';
import { StoreSelect } from '../../stores/components/store-select';
import { useChangeRole } from '../api/change-staff';
import type { StaffMember } from '../api/list-staff';
import { RoleSelect } from './role-select';

const fields = ['role', 'storeId'] as const;

/** Another role for a member of staff; the API's refusal (the shop's only owner) shows at the role. */
export function ChangeRoleForm({ member, onChanged }: { member: StaffMember; onChanged: () => void }) {
  const t = useT();
  const { hasStores } = useStoreName();
  const [form] = Form.useForm<{ role: Role; storeId: string | null }>();
  const change = useChangeRole();
  return (
    <Form
      form={form}
      name="changeRole"
      layout="vertical"
      initialValues={{ role: member.role, storeId: member.storeId ?? null }}
      onFinish={({ role, storeId }) =>
        change.mutate({ staffId: member.staffId, role, storeId }, { onSuccess: onChanged })
      }
    >
      <Form.Item label={t('staff.role')} name="role">
        <RoleSelect />
      </Form.Item>
      {hasStores && (
        <Form.Item label={t('stores.store')} name="storeId" extra={t('staff.storeHint')}>
          <StoreSelect noneLabel={t('stores.all')} />
        </Form.Item>
      )}
      <FormProblem title={t('staff.changeFailed')} error={change.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" block loading={change.isPending}>
        {t('staff.save')}
      </Button>
    </Form>
  );
}
