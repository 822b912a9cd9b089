import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Progress, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { useT } from '../../../lib/i18n';
import { useStartImport } from '../api/start-import';
import { ImportProgress } from '../components/import-progress';
import { RecentImports } from '../components/recent-imports';
import { importFormatOf } from '../import-format';

/**
 * Importing members from a CSV or JSON-lines file: the file goes straight to the upload URL the API
 * gives (with a progress bar), then the import's progress and the rows it refused show here.
 */
export function ImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const importId = params.get('import') ?? undefined;
  const [sent, setSent] = useState<number>();
  const [wrongType, setWrongType] = useState(false);
  const start = useStartImport(setSent);
  const open = (id: string) => setParams({ import: id });

  function choose(file: File) {
    const format = importFormatOf(file.name);
    setWrongType(format === undefined);
    if (format) {
      setSent(undefined);
      start.mutate({ file, format }, { onSuccess: (created) => open(created.importId) });
    }
    // Sent by the mutation, not by antd's own upload.
    return false;
  }

  return (
    <Flex vertical gap={16}>
      <Card title={t('imports.title')}>
        <Flex vertical gap={16}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('imports.formats')}
          </Typography.Paragraph>
          <Upload
            accept=".csv,.jsonl"
            showUploadList={false}
            beforeUpload={choose}
            disabled={start.isPending}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={start.isPending}>
              {t('imports.file')}
            </Button>
          </Upload>
          {wrongType && <Typography.Text type="danger">{t('imports.fileType')}</Typography.Text>}
          {sent !== undefined && (
            <Progress
              aria-label={t('imports.uploading')}
              percent={Math.round(sent * 100)}
              status={start.isError ? 'exception' : undefined}
            />
          )}
          {start.isError && <ApiProblem title={t('imports.uploadFailed')} error={start.error} />}
        </Flex>
      </Card>
      {importId && <ImportProgress importId={importId} />}
      <RecentImports onOpen={open} />
    </Flex>
  );
}
