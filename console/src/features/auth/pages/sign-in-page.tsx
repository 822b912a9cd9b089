import { Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { LanguageSwitch } from '../../../components/language-switch';
import { PageLoading } from '../../../components/page-loading';
import { useT } from '../../../lib/i18n';
import { useSession } from '../api/get-session';
import { useRequestCode } from '../api/request-code';
import { useStartSession } from '../api/start-session';

/** Where to go once signed in: the page that asked, when it is one of ours (never another site). */
function nextPage(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** Sign-in in two steps: the phone number, then the 6-digit code texted to it. */
export function SignInPage() {
  const t = useT();
  const { token } = theme.useToken();
  const [params] = useSearchParams();
  const who = useSession();
  const [phone, setPhone] = useState<string>();
  const code = useRequestCode();
  const session = useStartSession();

  if (who.isPending) return <PageLoading />;
  if (who.data) return <Navigate to={nextPage(params.get('next'))} replace />;
  return (
    <Flex
      vertical
      align="center"
      style={{ minHeight: '100vh', padding: 16, background: token.colorBgLayout }}
    >
      <Flex justify="flex-end" style={{ width: '100%' }}>
        <LanguageSwitch />
      </Flex>
      <Typography.Title level={1} style={{ fontSize: token.fontSizeHeading3, margin: '8vh 0 24px' }}>
        {t('app.title')}
      </Typography.Title>
      <Card title={t('signIn.title')} style={{ width: '100%', maxWidth: 400 }}>
        {phone === undefined ? (
          <Form
            name="signInPhone"
            layout="vertical"
            requiredMark={false}
            onFinish={({ phone }: { phone: string }) =>
              code.mutate(phone, { onSuccess: () => setPhone(phone) })
            }
          >
            <Form.Item
              label={t('signIn.phone')}
              name="phone"
              rules={[
                { required: true, message: t('signIn.phoneRequired') },
                { pattern: /^\+?[\d\s-]{5,20}$/, message: t('signIn.phoneInvalid') },
              ]}
            >
              <Input type="tel" inputMode="tel" autoComplete="tel" size="large" />
            </Form.Item>
            {code.error && (
              <Form.Item>
                <ApiProblem title={t('signIn.codeFailed')} error={code.error} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" size="large" block loading={code.isPending}>
              {t('signIn.sendCode')}
            </Button>
          </Form>
        ) : (
          <Form
            name="signInCode"
            layout="vertical"
            requiredMark={false}
            onFinish={({ code }: { code: string }) => session.mutate({ phone, code })}
          >
            <Typography.Paragraph>{t('signIn.codeSent', { phone })}</Typography.Paragraph>
            <Form.Item
              label={t('signIn.code')}
              name="code"
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('signIn.codeInvalid') }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" />
            </Form.Item>
            {session.error && (
              <Form.Item>
                <ApiProblem title={t('signIn.failed')} error={session.error} />
              </Form.Item>
            )}
            <Flex vertical gap={8}>
              <Button type="primary" htmlType="submit" size="large" block loading={session.isPending}>
                {t('signIn.submit')}
              </Button>
              <Button type="link" onClick={() => setPhone(undefined)}>
                {t('signIn.otherPhone')}
              </Button>
            </Flex>
          </Form>
        )}
      </Card>
    </Flex>
  );
}
