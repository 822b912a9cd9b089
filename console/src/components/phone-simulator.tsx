import { SendOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Input, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../lib/i18n';
import { useSmsThread, useTextShop } from '../lib/local-runtime';
import { ApiProblem } from './api-problem';

/**
 * A customer's phone on the local runtime: the thread with the shop's number (the customer's texts
 * on the right, the shop's replies on the left, as on a phone) and a box to text the shop.
 */
export function PhoneSimulator({
  phone,
  shopNumber,
  draft = '',
}: {
  phone: string;
  shopNumber: string;
  draft?: string;
}) {
  const t = useT();
  const { token } = theme.useToken();
  const thread = useSmsThread(phone);
  const send = useTextShop();
  const [text, setText] = useState(draft);
  const end = useRef<HTMLDivElement>(null);
  const texts = thread.data ?? [];
  const count = texts.length;

  useEffect(() => {
    if (count > 0) end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [count]);

  const submit = () => {
    if (!text.trim()) return;
    send.mutate({ from: phone, to: shopNumber, text }, { onSuccess: () => setText('') });
  };
  return (
    <Flex
      vertical
      style={{
        border: `1px solid ${token.colorBorder}`,
        borderRadius: 24,
        padding: 12,
        width: '100%',
        maxWidth: 380,
        background: token.colorBgContainer,
      }}
    >
      <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
        {t('phone.threadWith', { phone, number: shopNumber })}
      </Typography.Text>
      <Flex
        vertical
        gap={8}
        role="log"
        aria-label={t('phone.thread')}
        style={{ height: 360, overflowY: 'auto', padding: '8px 4px' }}
      >
        {count === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('phone.noTexts')} />}
        {texts.map((x) => (
          <Flex
            key={`${x.at}${x.direction}${x.body}`}
            vertical
            align={x.direction === 'in' ? 'flex-end' : 'flex-start'}
          >
            <div
              style={{
                maxWidth: '85%',
                padding: '6px 10px',
                borderRadius: 14,
                background: x.direction === 'in' ? token.colorSuccessBg : token.colorFillSecondary,
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
              }}
            >
              {x.body}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
              {dayjs(x.at).format('HH:mm:ss')}
            </Typography.Text>
          </Flex>
        ))}
        <div ref={end} />
      </Flex>
      {send.error && <ApiProblem title={t('phone.sendFailed')} error={send.error} />}
      <Flex gap={8}>
        <Input
          aria-label={t('phone.text')}
          placeholder={t('phone.textPlaceholder')}
          value={text}
          maxLength={500}
          onChange={(event) => setText(event.target.value)}
          onPressEnter={submit}
        />
        <Button type="primary" icon={<SendOutlined />} loading={send.isPending} onClick={submit}>
          {t('phone.send')}
        </Button>
      </Flex>
    </Flex>
  );
}
