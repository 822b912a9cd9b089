import { Button, Col, Flex, Form, Input, Radio, Row, Space, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useRef, useState } from 'react';
import { ulid } from 'ulidx';
import { FormProblem } from '../../../components/form-problem';
import { ApiError } from '../../../lib/errors';
import { useT } from '../../../lib/i18n';
import { useDebounced } from '../../../lib/use-debounced';
import { type Template, useCreateTemplate, usePreview, useUpdateTemplate } from '../api/templates';
import { insertPlaceholder, type Placeholder, placeholders, sampleValues } from '../placeholders';
import { TextPreview } from './text-preview';

interface Fields {
  name: string;
  category: 'marketing' | 'service';
  body: string;
}
const fields = ['name', 'category', 'body'] as const;

/** What the preview says is wrong with the text (over 500 characters, an unknown placeholder). */
function bodyProblem(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.issues.find((issue) => issue.path === 'body')?.message ?? error.message;
}

/**
 * A template's name, category and text, with its placeholders a click away and beside it the text as
 * the member receives it, asked of the API as typing pauses. A new template's id is made when the form
 * opens, so saving it twice saves it once.
 */
export function TemplateForm({
  template,
  onSaved,
}: {
  template?: Template;
  onSaved: (saved: Template) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Fields>();
  const [templateId] = useState(() => template?.templateId ?? ulid());
  const create = useCreateTemplate();
  const update = useUpdateTemplate();
  const save = template ? update : create;
  const bodyRef = useRef<TextAreaRef>(null);

  const body = Form.useWatch('body', form) ?? template?.body ?? '';
  const category = Form.useWatch('category', form) ?? template?.category ?? 'marketing';
  const typed = useDebounced({ body, category }, 400);
  const preview = usePreview(
    typed.body.trim() ? { body: typed.body, category: typed.category, values: sampleValues } : undefined,
  );
  const problem = preview.isError ? bodyProblem(preview.error) : undefined;

  function insert(name: Placeholder) {
    const area = bodyRef.current?.resizableTextArea?.textArea;
    const current = form.getFieldValue('body') ?? '';
    const selection = area ? { start: area.selectionStart, end: area.selectionEnd } : undefined;
    const next = insertPlaceholder(current, name, selection);
    form.setFieldsValue({ body: next.text });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(next.cursor, next.cursor);
    });
  }

  async function submit(values: Fields) {
    if (!template) {
      const saved = await create.mutateAsync({ ...values, templateId }).catch(() => undefined);
      if (saved) onSaved(saved.template);
      return;
    }
    const change = Object.fromEntries(
      Object.entries(values).filter(([field, value]) => template[field as keyof Fields] !== value),
    );
    if (Object.keys(change).length === 0) return onSaved(template);
    const saved = await update
      .mutateAsync({ templateId: template.templateId, change })
      .catch(() => undefined);
    if (saved) onSaved(saved.template);
  }

  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} lg={14}>
        <Form<Fields>
          form={form}
          name="template"
          layout="vertical"
          requiredMark={false}
          initialValues={template ?? { category: 'marketing', body: '' }}
          onFinish={submit}
        >
          <Form.Item
            label={t('templates.name')}
            name="name"
            rules={[{ required: true, whitespace: true, message: t('templates.nameRequired') }]}
          >
            <Input maxLength={60} autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('templates.category')}
            name="category"
            extra={t(`templates.categoryHint.${category}`)}
          >
            <Radio.Group
              optionType="button"
              options={[
                { value: 'marketing', label: t('templates.category.marketing') },
                { value: 'service', label: t('templates.category.service') },
              ]}
            />
          </Form.Item>
          <Form.Item
            label={t('templates.body')}
            name="body"
            rules={[{ required: true, whitespace: true, message: t('templates.bodyRequired') }]}
            {...(problem ? { validateStatus: 'error' as const, help: problem } : {})}
          >
            <Input.TextArea ref={bodyRef} autoSize={{ minRows: 4, maxRows: 12 }} showCount />
          </Form.Item>
          <Form.Item label={t('templates.insert')}>
            <Space wrap size={[6, 6]}>
              {(Object.keys(placeholders) as Placeholder[]).map((name) => (
                <Button key={name} size="small" onClick={() => insert(name)}>
                  {t(placeholders[name].label)}
                </Button>
              ))}
            </Space>
          </Form.Item>
          {template?.registration && (
            <Typography.Paragraph type="warning">
              {t('templates.bodyResetsRegistration')}
            </Typography.Paragraph>
          )}
          <FormProblem title={t('templates.saveFailed')} error={save.error} form={form} fields={fields} />
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('templates.save')}
            </Button>
          </Flex>
        </Form>
      </Col>
      <Col xs={24} lg={10}>
        <TextPreview preview={problem ? undefined : preview.data?.preview} loading={preview.isFetching} />
      </Col>
    </Row>
  );
}
