import { Button, Form } from 'antd';
import { FormProblem } from '../../../components/form-problem';
import { useT } from '../../../lib/i18n';
import type { Role } from '../../../lib/staff';
import { useChangeRole } from '../api/change-staff';
import type { StaffMember } from '../api/list-staff';
import { RoleSelect } from './role-select';

const fields = ['role'] as const;

/** Another role for a member of staff; the API's refusal (the shop's only owner) shows at the role. */
export function ChangeRoleForm({ member, onChanged }: { member: StaffMember; onChanged: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ role: Role }>();
  const change = useChangeRole();
  return (
    <Form
      form={form}
      name="changeRole"
      layout="vertical"
      initialValues={{ role: member.role }}
      onFinish={({ role }) => change.mutate({ staffId: member.staffId, role }, { onSuccess: onChanged })}
    >
      <Form.Item label={t('staff.role')} name="role">
        <RoleSelect />
      </Form.Item>
      <FormProblem title={t('staff.changeFailed')} error={change.error} form={form} fields={fields} />
      <Button type="primary" htmlType="submit" block loading={change.isPending}>
        {t('staff.save')}
      </Button>
    </Form>
  );
}
