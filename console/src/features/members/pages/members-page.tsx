import { ImportOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useLanguage } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import { usePhoneScreen } from '../../../lib/use-phone-screen';
import { useAddMember } from '../api/add-member';
import { useLoyaltySettings } from '../api/get-loyalty-settings';
import { type MembersFilter, useMembers } from '../api/list-members';
import { MemberForm, newMemberOf } from '../components/member-form';
import { MemberSearch } from '../components/member-search';
import { useTierName } from '../components/member-summary';

type ListedMember = NonNullable<ReturnType<typeof useMembers>['data']>['members'][number];

const memberPath = (phone: string) => `/members/${encodeURIComponent(phone)}`;

/** The merchant's members: find one by phone, list them by tag or tier a page at a time, add one. */
export function MembersPage() {
  const { t, language } = useLanguage();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const phone = usePhoneScreen();
  const [filter, setFilter] = useState<MembersFilter>({});
  const pages = useCursorPages();
  const members = useMembers(filter, pages.cursor);
  const loyalty = useLoyaltySettings();
  const tierName = useTierName();
  const [adding, setAdding] = useState(false);
  const add = useAddMember();

  const filterBy = (change: MembersFilter) => {
    setFilter((current) => ({ ...current, ...change }));
    pages.reset();
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
          {t('menu.members')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
            {t('members.add')}
          </Button>
          <Link to="/imports">
            <Button icon={<ImportOutlined />}>{t('members.import')}</Button>
          </Link>
        </Flex>
      </Flex>
      <Card>
        <MemberSearch
          layout={phone ? 'vertical' : 'inline'}
          onFound={(found) => navigate(memberPath(found.phone))}
        />
      </Card>
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('members.filterTag')}
            placeholder={t('members.filterTag')}
            allowClear
            style={{ width: phone ? '100%' : 200 }}
            onSearch={(tag) => filterBy({ tag: tag.trim() || undefined })}
          />
          <Select
            aria-label={t('members.filterTier')}
            placeholder={t('members.anyTier')}
            allowClear
            style={{ width: phone ? '100%' : 200 }}
            options={loyalty.data?.tiers.map((tier) => ({ value: tier.code, label: tier.name }))}
            onChange={(tier?: string) => filterBy({ tier })}
          />
        </Flex>
        {members.isError ? (
          <QueryProblem
            title={t('members.loadFailed')}
            error={members.error}
            onRetry={() => members.refetch()}
          />
        ) : (
          <>
            <Table<ListedMember>
              rowKey="memberId"
              size={phone ? 'small' : 'middle'}
              pagination={false}
              loading={members.isFetching}
              dataSource={members.data?.members}
              locale={{ emptyText: t('members.empty') }}
              columns={[
                {
                  title: t('member.phone'),
                  dataIndex: 'phone',
                  // On a phone the name goes under the number: two columns of both would not fit.
                  render: (memberPhone: string, member) => (
                    <>
                      <Link to={memberPath(memberPhone)} style={{ whiteSpace: 'nowrap' }}>
                        {memberPhone}
                      </Link>
                      {phone && member.name && (
                        <Typography.Text type="secondary"> {member.name}</Typography.Text>
                      )}
                    </>
                  ),
                },
                { title: t('member.name'), dataIndex: 'name', ellipsis: true, responsive: ['sm'] },
                {
                  title: t('member.tier'),
                  dataIndex: 'tier',
                  responsive: ['sm'],
                  render: (tier?: string) => tier && <Tag>{tierName(tier)}</Tag>,
                },
                { title: t('member.points'), dataIndex: 'points', align: 'right' },
                {
                  title: t('member.storedValue'),
                  dataIndex: 'storedValue',
                  align: 'right',
                  responsive: ['md'],
                  render: (cents: number) => formatYuan(cents, language),
                },
                {
                  title: t('member.tags'),
                  dataIndex: 'tags',
                  responsive: ['lg'],
                  render: (tags: string[]) => tags.map((tag) => <Tag key={tag}>{tag}</Tag>),
                },
                {
                  title: t('member.joinedAt'),
                  dataIndex: 'joinedAt',
                  responsive: ['lg'],
                  render: (at: string) => dayjs(at).format('YYYY-MM-DD'),
                },
              ]}
            />
            <CursorPager pages={pages} nextCursor={members.data?.cursor} loading={members.isFetching} />
          </>
        )}
      </Card>
      <Drawer
        title={t('members.add')}
        aria-label={t('members.add')}
        open={adding}
        onClose={() => setAdding(false)}
        size={phone ? '100%' : 420}
        destroyOnHidden
      >
        <MemberForm
          submitLabel={t('members.add')}
          failedTitle={t('members.addFailed')}
          pending={add.isPending}
          error={add.error}
          onSubmit={(values) =>
            add.mutate(newMemberOf(values), {
              onSuccess(member) {
                setAdding(false);
                add.reset();
                message.success(t('members.added', { phone: member.phone }));
                navigate(memberPath(member.phone));
              },
            })
          }
        />
      </Drawer>
    </Flex>
  );
}
