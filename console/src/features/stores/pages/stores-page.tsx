import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useShopZone } from '../../../lib/shop-zone';
import { type Store, useChangeStore, useStores } from '../api/stores';
import { StoreForm } from '../components/store-form';

/** The shop's stores (门店): create, rename, move to another time zone, close and reopen. */
export function StoresPage() {
  const t = useT();
  const stores = useStores();
  const zone = useShopZone();
  const change = useChangeStore();
  const [editing, setEditing] = useState<Store | 'new'>();

  if (stores.error) {
    return (
      <QueryProblem title={t('stores.loadFailed')} error={stores.error} onRetry={() => stores.refetch()} />
    );
  }
  const shopTimeZone = zone.data ?? 'Asia/Shanghai';
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.stores')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('stores.create')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('stores.about')}</Typography.Text>
      {change.error && <ApiProblem title={t('stores.saveFailed')} error={change.error} />}
      <Table<Store>
        rowKey="storeId"
        loading={stores.isFetching}
        dataSource={stores.data?.stores}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('stores.none') }}
        columns={[
          {
            title: t('stores.name'),
            dataIndex: 'name',
            render: (name: string, store) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary" code>
                  {store.storeId}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('stores.address'), dataIndex: 'address', render: (address?: string) => address ?? '—' },
          { title: t('stores.timeZone'), dataIndex: 'timeZone' },
          {
            title: t('stores.status'),
            dataIndex: 'status',
            render: (status: Store['status']) =>
              status === 'open' ? (
                <Tag color="green">{t('stores.open')}</Tag>
              ) : (
                <Tag>{t('stores.closed')}</Tag>
              ),
          },
          {
            title: t('stores.actions'),
            key: 'actions',
            render: (_, store) => (
              <Space wrap size={0}>
                <Button type="link" size="small" onClick={() => setEditing(store)}>
                  {t('stores.edit')}
                </Button>
                {store.status === 'open' ? (
                  <Popconfirm
                    title={t('stores.closeConfirm', { name: store.name })}
                    description={t('stores.closeHint')}
                    okText={t('stores.close')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      change.mutateAsync({ storeId: store.storeId, status: 'closed' }).catch(() => undefined)
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('stores.close')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button
                    type="link"
                    size="small"
                    onClick={() =>
                      change.mutateAsync({ storeId: store.storeId, status: 'open' }).catch(() => undefined)
                    }
                  >
                    {t('stores.reopen')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={editing === 'new' ? t('stores.create') : editing && t('stores.editOf', { name: editing.name })}
        open={editing !== undefined}
        onCancel={() => setEditing(undefined)}
        footer={null}
        destroyOnHidden
      >
        {editing && (
          <StoreForm
            store={editing === 'new' ? undefined : editing}
            shopTimeZone={shopTimeZone}
            onSaved={() => setEditing(undefined)}
          />
        )}
      </Modal>
    </Flex>
  );
}
