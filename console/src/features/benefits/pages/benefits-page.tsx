import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { type Benefit, useBenefits, useStopBenefit } from '../api/benefits';
import { BenefitForm } from '../components/benefit-form';

/**
 * The benefit catalog: free benefits for chosen tiers, and gifts priced in points that members
 * exchange (积分兑换) by texting 兑换; add, change (the price among the rest), stop.
 */
export function BenefitsPage() {
  const t = useT();
  const list = useBenefits();
  const stop = useStopBenefit();
  const [editing, setEditing] = useState<Benefit | 'new'>();

  if (list.error) {
    return (
      <QueryProblem title={t('benefits.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
    );
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.benefits')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('benefits.add')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('benefits.about')}</Typography.Text>
      {stop.error && <ApiProblem title={t('benefits.stopFailed')} error={stop.error} />}
      <Table<Benefit>
        rowKey="code"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('benefits.name'),
            dataIndex: 'name',
            render: (name: string, benefit) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary" code>
                  {benefit.code}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('benefits.pricePoints'),
            dataIndex: 'pricePoints',
            render: (price?: number) =>
              price === undefined ? (
                <Tag>{t('benefits.free')}</Tag>
              ) : (
                <Tag color="gold">{t('benefits.price', { points: price })}</Tag>
              ),
          },
          {
            title: t('benefits.tiers'),
            dataIndex: 'tiers',
            render: (tiers: string[]) => (tiers.length === 0 ? t('benefits.everyMember') : tiers.join(' / ')),
          },
          {
            title: t('benefits.stock'),
            key: 'stock',
            render: (_, benefit) =>
              t('benefits.stockUsed', {
                stock: benefit.stock ?? t('benefits.unlimited'),
                claimed: benefit.claimed,
                used: benefit.used,
              }),
          },
          {
            title: t('benefits.actions'),
            key: 'actions',
            render: (_, benefit) => (
              <Space wrap size={0}>
                {!benefit.active && <Tag>{t('benefits.stopped')}</Tag>}
                <Button
                  type="link"
                  size="small"
                  aria-label={t('benefits.editOf', { name: benefit.name })}
                  onClick={() => setEditing(benefit)}
                >
                  {t('benefits.edit')}
                </Button>
                {benefit.active && (
                  <Popconfirm
                    title={t('benefits.stopConfirm', { name: benefit.name })}
                    description={t('benefits.stopHint')}
                    okText={t('benefits.stop')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => stop.mutateAsync(benefit.code).catch(() => undefined)}
                  >
                    <Button type="link" size="small" danger>
                      {t('benefits.stop')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title={
          editing === 'new' ? t('benefits.add') : editing && t('benefits.editOf', { name: editing.name })
        }
        open={editing !== undefined}
        onCancel={() => setEditing(undefined)}
        footer={null}
        destroyOnHidden
      >
        {editing !== undefined && (
          <BenefitForm
            editing={editing === 'new' ? undefined : editing}
            onSaved={() => setEditing(undefined)}
          />
        )}
      </Modal>
    </Flex>
  );
}
