import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Col, Flex, Popconfirm, Row, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useDeleteTemplate, useTemplate } from '../api/templates';
import { RegistrationCard } from '../components/registration-card';
import { TemplateForm } from '../components/template-form';
import { templatePath } from './templates-page';

/** One template (or a new one at `/templates/new`): its text with the live preview, and its registration. */
export function TemplatePage() {
  const t = useT();
  const navigate = useNavigate();
  const { templateId: id } = useParams();
  const templateId = id === 'new' ? undefined : id;
  const loaded = useTemplate(templateId);
  const remove = useDeleteTemplate();
  const { message } = App.useApp();

  if (templateId && loaded.error) {
    return (
      <QueryProblem title={t('templates.loadFailed')} error={loaded.error} onRetry={() => loaded.refetch()} />
    );
  }
  if (templateId && !loaded.data) return <PageLoading />;
  const template = loaded.data?.template;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Flex align="center" gap={8}>
          <Link to="/templates" aria-label={t('templates.back')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {template ? template.name : t('templates.new')}
          </Typography.Title>
        </Flex>
        {template && (
          <Popconfirm
            title={t('templates.deleteConfirm', { name: template.name })}
            okText={t('templates.delete')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              remove
                .mutateAsync(template.templateId)
                .then(() => navigate('/templates'))
                .catch(() => undefined)
            }
          >
            <Button danger>{t('templates.delete')}</Button>
          </Popconfirm>
        )}
      </Flex>
      {remove.error && <ApiProblem title={t('templates.deleteFailed')} error={remove.error} />}
      <TemplateForm
        // Anew when the template's own fields change, not when only its registration does: a text being
        // typed is kept while the registration is saved.
        key={template ? JSON.stringify([template.name, template.category, template.body]) : 'new'}
        template={template}
        onSaved={(saved) => {
          message.success(t('templates.saved'));
          if (!template) navigate(templatePath(saved.templateId), { replace: true });
        }}
      />
      {template && (
        <Row>
          <Col xs={24} lg={14}>
            <RegistrationCard key={JSON.stringify(template.registration)} template={template} />
          </Col>
        </Row>
      )}
    </Flex>
  );
}
