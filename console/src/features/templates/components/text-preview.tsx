import { Card, Descriptions, Spin, Typography } from 'antd';
import { useT } from '../../../lib/i18n';
import type { Preview } from '../api/templates';

/** The text as the member's phone shows it, and what the carriers count and bill for it. */
export function TextPreview({ preview, loading }: { preview: Preview | undefined; loading: boolean }) {
  const t = useT();
  return (
    <Card
      size="small"
      role="region"
      aria-label={t('templates.preview')}
      title={t('templates.preview')}
      extra={loading && <Spin size="small" />}
    >
      <figure
        aria-label={t('templates.previewText')}
        style={{
          margin: 0,
          background: '#f0f2f5',
          borderRadius: 12,
          padding: '10px 12px',
          minHeight: 64,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
        }}
      >
        {preview ? (
          preview.text
        ) : (
          <Typography.Text type="secondary">{t('templates.previewEmpty')}</Typography.Text>
        )}
      </figure>
      {preview && (
        <Descriptions size="small" column={2} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('templates.length')}>{preview.length}</Descriptions.Item>
          <Descriptions.Item label={t('templates.encoding')}>{preview.encoding}</Descriptions.Item>
          <Descriptions.Item label={t('templates.parts')}>{preview.parts}</Descriptions.Item>
          <Descriptions.Item label={t('templates.costPerRecipient')}>
            {t('templates.fen', { fen: preview.costPerRecipientFen })}
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
