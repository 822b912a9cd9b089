import { AutoComplete, Flex, Form, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PhoneSimulator } from '../../../components/phone-simulator';
import { useT } from '../../../lib/i18n';
import { useStaff } from '../../auth/api/get-session';
import { usePhonesToPick } from '../api/members';

/** A demo customer the simulator starts with when no phone is picked: never a staff member's. */
const demoCustomer = '+8613800138000';

/**
 * The phone simulator (local runtime only): a customer's phone that texts the shop's number — join,
 * points, feedback, the shop's keyword apps — and shows the replies as they arrive.
 */
export function PhonePage() {
  const t = useT();
  const staff = useStaff();
  const members = usePhonesToPick();
  const [search, setSearch] = useSearchParams();
  const [typed, setTyped] = useState(search.get('phone') ?? demoCustomer);
  const phone = search.get('phone') ?? demoCustomer;
  const shopNumber = staff?.merchant.senderNumber ?? '';
  const pick = (value: string) => {
    const chosen = value.trim();
    if (chosen && chosen !== phone) setSearch({ phone: chosen }, { replace: true });
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.phone')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('phone.about', { number: shopNumber })}</Typography.Text>
      <Form layout="vertical" style={{ maxWidth: 380, width: '100%' }}>
        <Form.Item label={t('phone.from')} extra={t('phone.fromHint')} style={{ marginBottom: 0 }}>
          <AutoComplete
            aria-label={t('phone.from')}
            value={typed}
            onChange={setTyped}
            onSelect={(value: string) => pick(value)}
            onBlur={() => pick(typed)}
            onInputKeyDown={(event) => event.key === 'Enter' && pick(typed)}
            options={(members.data ?? []).map((member) => ({
              value: member.phone,
              label: member.name ? `${member.name} · ${member.phone}` : member.phone,
            }))}
            filterOption={(input, option) => String(option?.label ?? '').includes(input)}
          />
        </Form.Item>
      </Form>
      {shopNumber && <PhoneSimulator key={phone} phone={phone} shopNumber={shopNumber} />}
    </Flex>
  );
}
