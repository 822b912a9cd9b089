import { Button, Flex } from 'antd';
import type { useCursorPages } from '../lib/cursor-pages';
import { useT } from '../lib/i18n';

/** "Previous" and "Next" under a list paged by cursors; "Next" only when the API gave a cursor. */
export function CursorPager({
  pages,
  nextCursor,
  loading,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | undefined;
  loading?: boolean;
}) {
  const t = useT();
  if (!pages.hasPrevious && !nextCursor) return null;
  return (
    <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
      <Button disabled={!pages.hasPrevious || loading} onClick={pages.previous}>
        {t('page.previous')}
      </Button>
      <Button disabled={!nextCursor || loading} onClick={() => nextCursor && pages.next(nextCursor)}>
        {t('page.next')}
      </Button>
    </Flex>
  );
}
