import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { useStoreName } from '../../stores/api/stores';
import { useRemoveStaff } from '../api/change-staff';
import { type StaffMember, useStaffList } from '../api/list-staff';
import { AddStaffForm } from '../components/add-staff-form';
import { ChangeRoleForm } from '../components/change-role-form';

/** The shop's staff: who may sign in, in which role; add, change a role, remove. */
export function StaffPage() {
  const t = useT();
  const pages = useCursorPages();
  const list = useStaffList(pages.cursor);
  const remove = useRemoveStaff();
  const [adding, setAdding] = useState(false);
  const [changing, setChanging] = useState<StaffMember>();
  const { storeName, hasStores } = useStoreName();

  if (list.error) {
    return <QueryProblem title={t('staff.loadFailed')} error={list.error} onRetry={() => list.refetch()} />;
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.staff')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('staff.add')}
        </Button>
      </Flex>
      {remove.error && <ApiProblem title={t('staff.removeFailed')} error={remove.error} />}
      <Table<StaffMember>
        rowKey="staffId"
        loading={list.isFetching}
        dataSource={list.data?.staff}
        pagination={false}
        size="middle"
        columns={[
          {
            title: t('staff.name'),
            dataIndex: 'name',
            render: (name: string, member) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary">{member.phone}</Typography.Text>
              </Space>
            ),
          },
          {
            title: hasStores ? t('staff.roleAndStore') : t('staff.role'),
            dataIndex: 'role',
            // The store under the role, not a column of its own: on a phone four columns wrap the phone.
            render: (role: StaffMember['role'], member) => (
              <Space direction="vertical" size={2}>
                {member.status === 'removed' ? (
                  <Tag>{t('staff.removed')}</Tag>
                ) : (
                  <Tag color={role === 'owner' ? 'gold' : role === 'marketing' ? 'blue' : 'green'}>
                    {t(`role.${role}`)}
                  </Tag>
                )}
                {hasStores && (
                  <Typography.Text type="secondary">
                    {member.storeId ? storeName(member.storeId) : t('stores.all')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('staff.actions'),
            key: 'actions',
            render: (_, member) =>
              member.status === 'active' && (
                <Space wrap size={0}>
                  <Button type="link" size="small" onClick={() => setChanging(member)}>
                    {t('staff.changeRole')}
                  </Button>
                  <Popconfirm
                    title={t('staff.removeConfirm', { name: member.name })}
                    description={t('staff.removeHint')}
                    okText={t('staff.remove')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove.mutateAsync(member.staffId).catch(() => undefined)}
                  >
                    <Button type="link" size="small" danger>
                      {t('staff.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
      <Modal
        title={t('staff.add')}
        open={adding}
        onCancel={() => setAdding(false)}
        footer={null}
        destroyOnHidden
      >
        <AddStaffForm onAdded={() => setAdding(false)} />
      </Modal>
      <Modal
        title={changing && t('staff.changeRoleOf', { name: changing.name })}
        open={changing !== undefined}
        onCancel={() => setChanging(undefined)}
        footer={null}
        destroyOnHidden
      >
        {changing && <ChangeRoleForm member={changing} onChanged={() => setChanging(undefined)} />}
      </Modal>
    </Flex>
  );
}
