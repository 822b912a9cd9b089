import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useAccess } from '../../../app/use-access';
import { ApiProblem, problemReason } from '../../../components/api-problem';
import { useT } from '../../../lib/i18n';
import { useEraseMember, useExportMember } from '../api/member-rights';

/** The last 11 digits, so `+86 138…`, `138…` and full-width digits compare as the same phone. */
const digitsOf = (phone: string) =>
  phone
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\D/g, '')
    .slice(-11);

/** Saves the document as a file the browser downloads: the member's copy, as the API gave it. */
function download(fileName: string, document: unknown) {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }),
  );
  const link = Object.assign(window.document.createElement('a'), { href: url, download: fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A member's rights over their personal data: a copy, for whoever manages members; erasure, for an
 * owner, behind a confirmation that asks for the phone to be typed again (the API checks it too).
 */
export function MemberRights({ phone }: { phone: string }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const mayErase = useAccess().canEraseMembers;
  const exporting = useExportMember(phone);
  const erasing = useEraseMember(phone);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const matches = typed !== '' && digitsOf(typed) === digitsOf(phone);

  async function exportData() {
    try {
      const copy = await exporting.mutateAsync();
      download(`member-${digitsOf(phone)}-${copy.exportedAt.slice(0, 10)}.json`, copy);
      message.success(t('rights.exported', { phone }));
    } catch (error) {
      message.error(t('rights.exportFailed', { reason: problemReason(error, t) }));
    }
  }

  async function erase() {
    if (!matches) return;
    await erasing.mutateAsync(typed);
    setConfirming(false);
    message.success(t('rights.erased'));
    navigate('/members');
  }

  return (
    <Card title={t('rights.title')}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('rights.hint')}</Typography.Text>
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined />} loading={exporting.isPending} onClick={exportData}>
            {t('rights.export')}
          </Button>
          {mayErase && (
            <Button danger icon={<DeleteOutlined />} onClick={() => setConfirming(true)}>
              {t('rights.erase')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Modal
        title={t('rights.eraseTitle', { phone })}
        open={confirming}
        onCancel={() => {
          setConfirming(false);
          setTyped('');
          erasing.reset();
        }}
        okText={t('rights.erase')}
        okButtonProps={{ danger: true, disabled: !matches, loading: erasing.isPending }}
        onOk={() => erase().catch(() => undefined)}
        destroyOnHidden
      >
        <Flex vertical gap={12}>
          <Alert type="warning" showIcon title={t('rights.eraseWarning')} />
          <Form layout="vertical" onFinish={() => erase().catch(() => undefined)}>
            <Form.Item
              label={t('rights.confirmPhone')}
              htmlFor="erase-confirm-phone"
              validateStatus={typed !== '' && !matches ? 'error' : undefined}
              help={typed !== '' && !matches ? t('rights.confirmPhoneMismatch') : undefined}
            >
              <Input
                id="erase-confirm-phone"
                inputMode="tel"
                autoComplete="off"
                placeholder={phone}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            </Form.Item>
          </Form>
          {erasing.error && <ApiProblem title={t('rights.eraseFailed')} error={erasing.error} />}
        </Flex>
      </Modal>
    </Card>
  );
}
