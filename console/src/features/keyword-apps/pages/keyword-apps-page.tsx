import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Switch, Table, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { type KeywordApp, useKeywordApps, useSetAppEnabled } from '../api/keyword-apps';

/** The shop's keyword apps: their words, what they do, how often used; enable or disable each. */
export function KeywordAppsPage() {
  const t = useT();
  const navigate = useNavigate();
  const list = useKeywordApps();
  const enable = useSetAppEnabled();

  if (list.error) {
    return <QueryProblem title={t('apps.loadFailed')} error={list.error} onRetry={() => list.refetch()} />;
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.keywordApps')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/keyword-apps/new')}>
          {t('apps.new')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('apps.about')}</Typography.Text>
      {enable.error && <ApiProblem title={t('apps.toggleFailed')} error={enable.error} />}
      <Table<KeywordApp>
        rowKey="appId"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('apps.none') }}
        columns={[
          { title: t('apps.name'), dataIndex: 'name' },
          {
            title: t('apps.words'),
            key: 'words',
            render: (_, app) => (
              <Flex gap={4} wrap>
                {[app.keyword, ...app.aliases].map((word) => (
                  <Tag key={word}>{word}</Tag>
                ))}
              </Flex>
            ),
          },
          {
            title: t('apps.action'),
            key: 'action',
            render: (_, app) => t(`apps.kind.${app.action.kind}`),
          },
          { title: t('apps.uses'), dataIndex: 'uses' },
          {
            title: t('apps.enabled'),
            key: 'enabled',
            render: (_, app) => (
              <Switch
                size="small"
                aria-label={t('apps.enabledOf', { name: app.name })}
                checked={app.enabled}
                onChange={(enabled) => enable.mutate({ appId: app.appId, enabled })}
              />
            ),
          },
        ]}
      />
    </Flex>
  );
}
