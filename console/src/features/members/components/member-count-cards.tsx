import { Button, Card, Flex, Form, List, Popconfirm, Radio, Select, Space, Tag, Typography } from 'antd';
import { useAccess } from '../../../app/use-access';
import { ApiProblem } from '../../../components/api-problem';
import { useLanguage } from '../../../lib/i18n';
import { useIdempotencyKey } from '../../../lib/idempotency';
import { formatYuan } from '../../../lib/money';
import {
  type CardPayment,
  type CountCard,
  useCardOperation,
  useCountCards,
  useProductsOnSale,
  useSellCard,
} from '../api/count-cards';

const stateColors: Record<CountCard['state'], string | undefined> = {
  usable: 'green',
  'used-up': undefined,
  expired: 'orange',
  refunded: 'default',
};

/**
 * The member's count cards (计次卡): each with the uses left and its last day; use one (after a
 * confirm), refund what is left (the owner, after a confirm naming the amount), and sell a new one.
 */
export function MemberCountCards({ phone }: { phone: string }) {
  const { t, language } = useLanguage();
  const cards = useCountCards(phone);
  const use = useCardOperation(phone, 'use');
  const refund = useCardOperation(phone, 'refund');
  const mayRefund = useAccess().canCorrectBalances;
  return (
    <Card title={t('memberCards.title')}>
      <Flex vertical gap={12}>
        {use.error && <ApiProblem title={t('memberCards.useFailed')} error={use.error} />}
        {refund.error && <ApiProblem title={t('memberCards.refundFailed')} error={refund.error} />}
        <List<CountCard>
          loading={cards.isFetching}
          dataSource={cards.data}
          locale={{ emptyText: t('memberCards.none') }}
          renderItem={(card) => (
            <List.Item
              actions={[
                card.state === 'usable' && (
                  <Popconfirm
                    key="use"
                    title={t('memberCards.useConfirm', { name: card.name, left: card.usesLeft - 1 })}
                    okText={t('memberCards.use')}
                    onConfirm={() => use.mutateAsync(card.cardId).catch(() => undefined)}
                  >
                    <Button
                      size="small"
                      type="primary"
                      aria-label={t('memberCards.useOf', { name: card.name })}
                    >
                      {t('memberCards.use')}
                    </Button>
                  </Popconfirm>
                ),
                mayRefund && !card.refundedAt && card.usesLeft > 0 && (
                  <Popconfirm
                    key="refund"
                    title={t('memberCards.refundConfirm', {
                      name: card.name,
                      amount: formatYuan(card.refundableCents, language),
                    })}
                    description={t(
                      card.payment === 'stored-value' ? 'memberCards.toStoredValue' : 'memberCards.atTill',
                    )}
                    okText={t('memberCards.refund')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => refund.mutateAsync(card.cardId).catch(() => undefined)}
                  >
                    <Button size="small" danger aria-label={t('memberCards.refundOf', { name: card.name })}>
                      {t('memberCards.refund')}
                    </Button>
                  </Popconfirm>
                ),
              ].filter(Boolean)}
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Typography.Text strong>{card.name}</Typography.Text>
                    <Tag color={stateColors[card.state]}>{t(`memberCards.state.${card.state}`)}</Tag>
                  </Space>
                }
                description={t('memberCards.line', {
                  left: card.usesLeft,
                  uses: card.uses,
                  date: card.expiresOn,
                  paid: formatYuan(card.pricePaid, language),
                })}
              />
            </List.Item>
          )}
        />
        <SellCard phone={phone} />
      </Flex>
    </Card>
  );
}

interface SaleFields {
  productId: string;
  payment: CardPayment;
}

/** Sells the member a card on sale, paid from their stored value or at the till. */
function SellCard({ phone }: { phone: string }) {
  const { t, language } = useLanguage();
  const [form] = Form.useForm<SaleFields>();
  const products = useProductsOnSale();
  const sell = useSellCard(phone);
  const { key, renew } = useIdempotencyKey();
  return (
    <Form
      form={form}
      name="sell-card"
      layout="inline"
      initialValues={{ payment: 'stored-value' }}
      onFinish={(values) =>
        sell.mutate(
          { ...values, idempotencyKey: key },
          {
            onSuccess: () => {
              renew();
              form.resetFields(['productId']);
            },
          },
        )
      }
      style={{ rowGap: 8 }}
    >
      <Form.Item
        name="productId"
        rules={[{ required: true, message: t('memberCards.chooseProduct') }]}
        style={{ minWidth: 200, flex: '1 1 200px' }}
      >
        <Select
          aria-label={t('memberCards.product')}
          placeholder={t('memberCards.product')}
          loading={products.isLoading}
          options={(products.data ?? []).map((product) => ({
            value: product.productId,
            label: `${product.name} · ${formatYuan(product.priceCents, language)}`,
          }))}
        />
      </Form.Item>
      <Form.Item name="payment">
        <Radio.Group
          options={[
            { value: 'stored-value', label: t('memberCards.payStoredValue') },
            { value: 'till', label: t('memberCards.payTill') },
          ]}
        />
      </Form.Item>
      <Form.Item>
        <Button htmlType="submit" loading={sell.isPending}>
          {t('memberCards.sell')}
        </Button>
      </Form.Item>
      {sell.error && (
        <div style={{ flexBasis: '100%' }}>
          <ApiProblem title={t('memberCards.sellFailed')} error={sell.error} />
        </div>
      )}
    </Form>
  );
}
