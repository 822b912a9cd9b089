import { Select } from 'antd';
import { useT } from '../../../lib/i18n';
import type { Role } from '../../../lib/staff';

const roles: readonly Role[] = ['owner', 'marketing', 'cashier'];

/** The three roles, each named with what it may do. */
export function RoleSelect(props: { id?: string; value?: Role; onChange?: (role: Role) => void }) {
  const t = useT();
  return (
    <Select
      {...props}
      options={roles.map((role) => ({
        value: role,
        label: `${t(`role.${role}`)} · ${t(`staff.roleHint.${role}`)}`,
      }))}
    />
  );
}
