import { Flex, Form, Select } from 'antd';
import { useT } from '../../../lib/i18n';
import { checkedByApi } from '../checked-by-api';

/** Who a greeting goes to: some tiers, some tags, or (both empty) every member. */
export function AudienceFields({
  name,
  tiers,
}: {
  /** The greeting's field, e.g. `['festivals', 'laba']`. */
  name: (string | number)[];
  tiers: { code: string; name: string }[];
}) {
  const t = useT();
  return (
    <Flex gap={12} wrap style={{ rowGap: 0 }}>
      <Form.Item
        label={t('care.tiers')}
        name={[...name, 'tiers']}
        rules={checkedByApi}
        extra={t('care.everyone')}
        style={{ flex: '1 1 180px' }}
      >
        <Select
          mode="multiple"
          allowClear
          options={tiers.map((tier) => ({ value: tier.code, label: tier.name }))}
        />
      </Form.Item>
      <Form.Item
        label={t('care.tags')}
        name={[...name, 'tags']}
        rules={checkedByApi}
        style={{ flex: '1 1 180px' }}
      >
        <Select mode="tags" allowClear open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} />
      </Form.Item>
    </Flex>
  );
}
