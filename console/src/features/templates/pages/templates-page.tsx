import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { type Template, useTemplates } from '../api/templates';
import { RegistrationStatus } from '../components/registration-card';

export const templatePath = (templateId: string) => `/templates/${encodeURIComponent(templateId)}`;

/** The shop's message templates: what each says, for what, and whether the provider approved it. */
export function TemplatesPage() {
  const t = useT();
  const navigate = useNavigate();
  const pages = useCursorPages();
  const list = useTemplates(pages.cursor);

  if (list.error) {
    return (
      <QueryProblem title={t('templates.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
    );
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.templates')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/templates/new')}>
          {t('templates.new')}
        </Button>
      </Flex>
      <Table<Template>
        rowKey="templateId"
        loading={list.isFetching}
        dataSource={list.data?.templates}
        pagination={false}
        size="middle"
        locale={{ emptyText: t('templates.none') }}
        columns={[
          {
            title: t('templates.name'),
            dataIndex: 'name',
            render: (name: string, template) => <Link to={templatePath(template.templateId)}>{name}</Link>,
          },
          {
            title: t('templates.category'),
            dataIndex: 'category',
            render: (category: Template['category']) => (
              <Tag color={category === 'marketing' ? 'blue' : 'green'}>
                {t(`templates.category.${category}`)}
              </Tag>
            ),
          },
          {
            title: t('templates.registration'),
            key: 'registration',
            render: (_, template) => <RegistrationStatus registration={template.registration} />,
          },
          {
            title: t('templates.body'),
            dataIndex: 'body',
            responsive: ['md'],
            ellipsis: true,
          },
          {
            title: t('templates.updatedAt'),
            dataIndex: 'updatedAt',
            responsive: ['lg'],
            render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm'),
          },
        ]}
      />
      <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
    </Flex>
  );
}
