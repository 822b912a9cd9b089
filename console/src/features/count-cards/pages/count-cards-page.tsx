import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { QueryProblem } from '../../../components/query-problem';
import { useLanguage, useT } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import { useStoreName } from '../../stores/api/stores';
import { type CardProduct, useCardProducts, useSetCardProductActive } from '../api/products';
import { ProductForm } from '../components/product-form';

/** The count cards (计次卡) the shop sells: list, add, stop selling, sell again. */
export function CountCardsPage() {
  const t = useT();
  const { language } = useLanguage();
  const { storeName, hasStores } = useStoreName();
  const list = useCardProducts();
  const setActive = useSetCardProductActive();
  const [adding, setAdding] = useState(false);

  if (list.error) {
    return (
      <QueryProblem title={t('countCards.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
    );
  }
  const validity = (product: CardProduct) =>
    product.validity.kind === 'days'
      ? t('countCards.validForDays', { days: product.validity.days })
      : t('countCards.validUntil', { date: product.validity.date });
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.countCards')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('countCards.add')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('countCards.about')}</Typography.Text>
      {setActive.error && <ApiProblem title={t('countCards.stopFailed')} error={setActive.error} />}
      <Table<CardProduct>
        rowKey="productId"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('countCards.name'),
            dataIndex: 'name',
            render: (name: string, product) => (
              <Space size={4} wrap>
                <Typography.Text strong>{name}</Typography.Text>
                {!product.active && <Tag>{t('countCards.stopped')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('countCards.uses'),
            dataIndex: 'uses',
            render: (uses: number) => t('countCards.usesOf', { uses }),
          },
          {
            title: t('countCards.price'),
            dataIndex: 'priceCents',
            render: (cents: number) => formatYuan(cents, language),
          },
          { title: t('countCards.validity'), key: 'validity', render: (_, product) => validity(product) },
          ...(hasStores
            ? [
                {
                  title: t('countCards.stores'),
                  dataIndex: 'stores',
                  render: (stores?: string[]) =>
                    stores && stores.length > 0 ? (
                      stores.map(storeName).join('、')
                    ) : (
                      <Typography.Text type="secondary">{t('countCards.allStores')}</Typography.Text>
                    ),
                },
              ]
            : []),
          {
            title: t('countCards.actions'),
            key: 'actions',
            render: (_, product) =>
              product.active ? (
                <Popconfirm
                  title={t('countCards.stopConfirm', { name: product.name })}
                  description={t('countCards.stopHint')}
                  okText={t('countCards.stop')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    setActive
                      .mutateAsync({ productId: product.productId, active: false })
                      .catch(() => undefined)
                  }
                >
                  <Button
                    type="link"
                    size="small"
                    danger
                    aria-label={t('countCards.stopOf', { name: product.name })}
                  >
                    {t('countCards.stop')}
                  </Button>
                </Popconfirm>
              ) : (
                <Button
                  type="link"
                  size="small"
                  onClick={() => setActive.mutate({ productId: product.productId, active: true })}
                >
                  {t('countCards.restart')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        title={t('countCards.add')}
        open={adding}
        onCancel={() => setAdding(false)}
        footer={null}
        destroyOnHidden
      >
        {adding && <ProductForm onSaved={() => setAdding(false)} />}
      </Modal>
    </Flex>
  );
}
