import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { type ApiKey, useApiKeys, useRevokeApiKey } from '../api/api-keys';
import { NewApiKey } from '../components/new-api-key';

/** The shop's API keys for its own systems: each acts as the owner; make one, revoke one. */
export function ApiKeysPage() {
  const t = useT();
  const pages = useCursorPages();
  const list = useApiKeys(pages.cursor);
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);

  if (list.error) {
    return <QueryProblem title={t('apiKeys.loadFailed')} error={list.error} onRetry={() => list.refetch()} />;
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.apiKeys')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('apiKeys.create')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('apiKeys.about')}</Typography.Text>
      {revoke.error && <ApiProblem title={t('apiKeys.revokeFailed')} error={revoke.error} />}
      <Table<ApiKey>
        rowKey="keyId"
        loading={list.isFetching}
        dataSource={list.data?.keys}
        pagination={false}
        size="middle"
        columns={[
          {
            title: t('apiKeys.name'),
            dataIndex: 'name',
            render: (name: string | undefined, key) => (
              <Flex vertical>
                <Typography.Text strong>{name ?? t('apiKeys.unnamed')}</Typography.Text>
                <Typography.Text type="secondary">…{key.lastFour ?? key.keyId.slice(-4)}</Typography.Text>
              </Flex>
            ),
          },
          {
            title: t('apiKeys.created'),
            dataIndex: 'createdAt',
            responsive: ['md'],
            render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm'),
          },
          {
            title: t('apiKeys.status'),
            key: 'status',
            render: (_, key) =>
              key.revokedAt ? (
                <Tag>{t('apiKeys.revokedAt', { at: dayjs(key.revokedAt).format('YYYY-MM-DD') })}</Tag>
              ) : (
                <Popconfirm
                  title={t('apiKeys.revokeConfirm')}
                  okText={t('apiKeys.revoke')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => revoke.mutateAsync(key.keyId).catch(() => undefined)}
                >
                  <Button size="small" danger>
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
      <Modal
        title={t('apiKeys.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        footer={null}
        destroyOnHidden
        maskClosable={false}
      >
        <NewApiKey onDone={() => setCreating(false)} />
      </Modal>
    </Flex>
  );
}
