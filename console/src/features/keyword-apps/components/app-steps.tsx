import { Alert, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useT } from '../../../lib/i18n';
import { useDebounced } from '../../../lib/use-debounced';
import { type ActionKind, useActionTargets, useReplyPreview } from '../api/keyword-apps';

export const actionKinds: readonly ActionKind[] = [
  'reply',
  'tag',
  'join-list',
  'grant-benefit',
  'start-survey',
];

/** Step 1: the app's name, its keyword and aliases. A taken word is refused here, naming its owner. */
export function WordsStep() {
  const t = useT();
  return (
    <>
      <Form.Item
        label={t('apps.name')}
        name="name"
        extra={t('apps.nameHint')}
        rules={[{ required: true, whitespace: true, message: t('apps.nameRequired') }]}
      >
        <Input maxLength={60} autoComplete="off" />
      </Form.Item>
      <Form.Item
        label={t('apps.keyword')}
        name="keyword"
        extra={t('apps.keywordHint')}
        rules={[{ required: true, whitespace: true, message: t('apps.keywordRequired') }]}
      >
        <Input maxLength={20} autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('apps.aliases')} name="aliases" extra={t('apps.aliasesHint')}>
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[' ', ',', '，']} maxCount={10} />
      </Form.Item>
    </>
  );
}

/** Step 2: what texting the word does, and what it acts on. */
export function ActionStep({ kind }: { kind: ActionKind | undefined }) {
  const t = useT();
  const targets = useActionTargets();
  return (
    <>
      <Form.Item label={t('apps.action')} name="kind" rules={[{ required: true }]}>
        <Radio.Group>
          <Space direction="vertical">
            {actionKinds.map((k) => (
              <Radio key={k} value={k}>
                {t(`apps.kind.${k}`)}
                <Typography.Text type="secondary"> — {t(`apps.kindHint.${k}`)}</Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      {kind === 'tag' && (
        <Form.Item
          label={t('apps.tag')}
          name="tag"
          rules={[{ required: true, whitespace: true, message: t('apps.tagRequired') }]}
        >
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
      )}
      {kind === 'join-list' && (
        <Form.Item
          label={t('apps.list')}
          name="list"
          extra={t('apps.listHint')}
          rules={[{ required: true, whitespace: true, message: t('apps.listRequired') }]}
        >
          <Input maxLength={35} autoComplete="off" />
        </Form.Item>
      )}
      {kind === 'grant-benefit' && (
        <Form.Item
          label={t('apps.benefit')}
          name="code"
          rules={[{ required: true, message: t('apps.benefitRequired') }]}
        >
          <Select
            loading={targets.isLoading}
            options={(targets.data?.benefits ?? []).map((b) => ({
              value: b.code,
              label: `${b.name} (${b.code})`,
            }))}
          />
        </Form.Item>
      )}
      {kind === 'start-survey' && (
        <Form.Item
          label={t('apps.survey')}
          name="surveyId"
          rules={[{ required: true, message: t('apps.surveyRequired') }]}
        >
          <Select
            loading={targets.isLoading}
            options={(targets.data?.surveys ?? []).map((s) => ({ value: s.surveyId, label: s.name }))}
          />
        </Form.Item>
      )}
    </>
  );
}

/** Step 3: the reply, with the text as the member receives it beside it. */
export function ReplyStep({ kind, text }: { kind: ActionKind | undefined; text: string | undefined }) {
  const t = useT();
  const preview = useReplyPreview(useDebounced(text, 400));
  if (kind === 'start-survey') return <Alert type="info" showIcon message={t('apps.surveyReply')} />;
  return (
    <>
      <Form.Item
        label={t('apps.reply')}
        name="replyText"
        extra={kind === 'grant-benefit' ? t('apps.replyOptional') : t('apps.replyHint')}
        rules={[{ required: kind !== 'grant-benefit', whitespace: true, message: t('apps.replyRequired') }]}
      >
        <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 3, maxRows: 8 }} />
      </Form.Item>
      {text?.trim() && preview.data && (
        <Alert
          type="success"
          message={t('apps.preview')}
          description={
            <Space direction="vertical" size={4}>
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid="reply-preview">
                {preview.data.text}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('apps.previewParts', {
                  length: preview.data.length,
                  encoding: preview.data.encoding,
                  parts: preview.data.parts,
                })}
              </Typography.Text>
            </Space>
          }
        />
      )}
    </>
  );
}
