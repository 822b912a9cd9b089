import { Card, Statistic, Typography } from 'antd';
import { useId } from 'react';

/** One figure with its name, and a second line under it; a named region, so it can be found by its name. */
export function FigureCard({ title, value, note }: { title: string; value: string | number; note?: string }) {
  const id = useId();
  return (
    <Card size="small" role="region" aria-labelledby={id} style={{ height: '100%' }}>
      <Statistic title={<span id={id}>{title}</span>} value={value} />
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
    </Card>
  );
}
