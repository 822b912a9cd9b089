import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Card, Col, Flex, Row, Tabs } from 'antd';
import { Link, useParams } from 'react-router';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useEditMember } from '../api/edit-member';
import { useMember } from '../api/get-member';
import { LedgerActions } from '../components/ledger-actions';
import { LedgerTable } from '../components/ledger-table';
import { MemberClaims } from '../components/member-claims';
import { MemberConsent } from '../components/member-consent';
import { MemberCountCards } from '../components/member-count-cards';
import { MemberForm, profileChangeOf, profileValuesOf } from '../components/member-form';
import { MemberRights } from '../components/member-rights';
import { MemberSummary } from '../components/member-summary';

/** One member: balances and tier, the actions on their books, and their ledger, profile, consent and claims. */
export function MemberPage() {
  const t = useT();
  const { message } = App.useApp();
  const phone = useParams().phone ?? '';
  const member = useMember(phone);
  const edit = useEditMember(phone);

  if (member.isPending) return <PageLoading />;
  if (member.isError) {
    return (
      <QueryProblem title={t('member.loadFailed')} error={member.error} onRetry={() => member.refetch()} />
    );
  }
  return (
    <Flex vertical gap={16}>
      <Link to="/members">
        <ArrowLeftOutlined /> {t('members.back')}
      </Link>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Flex vertical gap={16}>
            <MemberSummary member={member.data} />
            <LedgerActions phone={phone} />
            <MemberCountCards phone={phone} />
            <MemberRights phone={phone} />
          </Flex>
        </Col>
        <Col xs={24} lg={12}>
          <Card>
            <Tabs
              items={[
                { key: 'ledger', label: t('member.tabLedger'), children: <LedgerTable phone={phone} /> },
                {
                  key: 'profile',
                  label: t('member.tabProfile'),
                  children: (
                    <MemberForm
                      initial={profileValuesOf(member.data)}
                      submitLabel={t('member.save')}
                      failedTitle={t('member.saveFailed')}
                      pending={edit.isPending}
                      error={edit.error}
                      onSubmit={(values) =>
                        edit.mutate(profileChangeOf(values), {
                          onSuccess: () => message.success(t('member.saved')),
                        })
                      }
                    />
                  ),
                },
                { key: 'consent', label: t('member.tabConsent'), children: <MemberConsent phone={phone} /> },
                { key: 'claims', label: t('member.tabClaims'), children: <MemberClaims phone={phone} /> },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
