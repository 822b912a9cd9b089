import { App, Button, Card, Flex, Result, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem } from '../../../components/api-problem';
import { useLanguage } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import { useAddMember } from '../api/add-member';
import { type Member, useMember } from '../api/get-member';
import type { LedgerAction } from '../api/post-ledger-entry';
import { CounterCoupons } from '../components/counter-coupons';
import type { LedgerAnswer } from '../components/ledger-action-form';
import { LedgerActions } from '../components/ledger-actions';
import { ledgerChange } from '../components/ledger-change';
import { MemberCountCards } from '../components/member-count-cards';
import { MemberSearch } from '../components/member-search';
import { Balance, MemberSummary } from '../components/member-summary';

/** What a cashier does for a customer: a purchase's points first. */
const counterActions: readonly LedgerAction[] = ['earn', 'redeem', 'topUp', 'spend'];

/** Where the counter is: finding the customer, serving a member, or showing what was recorded. */
type Step =
  | { at: 'find' }
  | { at: 'serve'; phone: string }
  | { at: 'done'; phone: string; answer: LedgerAnswer };

/**
 * The counter, made for a phone: find the customer by mobile number (or make them a member), enter
 * the purchase, and see the points it earned and the new balance: three screens. The coupons the
 * member can use are redeemed on the second.
 */
export function CounterPage() {
  const [step, setStep] = useState<Step>({ at: 'find' });
  if (step.at === 'find')
    return <Finding onFound={(member) => setStep({ at: 'serve', phone: member.phone })} />;
  if (step.at === 'serve') {
    return (
      <Flex vertical gap={12}>
        <Serving phone={step.phone} onNext={() => setStep({ at: 'find' })} />
        <LedgerActions
          phone={step.phone}
          actions={counterActions}
          size="large"
          onDone={(answer) => setStep({ at: 'done', phone: step.phone, answer })}
        />
        <CounterCoupons phone={step.phone} />
        <MemberCountCards phone={step.phone} />
      </Flex>
    );
  }
  return (
    <Done
      answer={step.answer}
      onNext={() => setStep({ at: 'find' })}
      onMore={() => setStep({ at: 'serve', phone: step.phone })}
    />
  );
}

/** The first screen: the customer's mobile number; one who is not a member can join on the spot. */
function Finding({ onFound }: { onFound: (member: Member) => void }) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const [missing, setMissing] = useState<string>();
  const add = useAddMember();
  const join = (phone: string) =>
    add.mutate(
      { phone },
      {
        onSuccess(member) {
          message.success(t('members.added', { phone: member.phone }));
          onFound(member);
        },
      },
    );
  return (
    <Card title={t('counter.title')}>
      <MemberSearch size="large" autoFocus onFound={onFound} onMissing={setMissing} />
      {missing && (
        <Flex vertical gap={8}>
          <Typography.Text>{t('counter.notMember', { phone: missing })}</Typography.Text>
          {add.error ? <ApiProblem title={t('members.addFailed')} error={add.error} /> : null}
          <Button size="large" block loading={add.isPending} onClick={() => join(missing)}>
            {t('counter.join')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}

/** The member being served, with a way to the next customer. */
function Serving({ phone, onNext }: { phone: string; onNext: () => void }) {
  const { t } = useLanguage();
  const member = useMember(phone);
  if (!member.data) return null;
  return (
    <MemberSummary
      member={member.data}
      extra={
        <Button type="link" onClick={onNext}>
          {t('counter.nextCustomer')}
        </Button>
      }
    />
  );
}

/** The last screen: what was recorded and the balances after it. */
function Done({ answer, onNext, onMore }: { answer: LedgerAnswer; onNext: () => void; onMore: () => void }) {
  const { t, language } = useLanguage();
  const { entry, balances } = answer;
  return (
    <Card>
      <Result
        status="success"
        title={t('ledger.done', { change: ledgerChange(entry, t, language) })}
        subTitle={
          <Flex vertical align="center" gap={8}>
            <Balance title={t('counter.newBalance')} value={balances.points} />
            <Typography.Text type="secondary">
              {t('member.storedValue')} {formatYuan(balances.storedValue, language)}
            </Typography.Text>
          </Flex>
        }
        extra={
          <Flex vertical gap={8}>
            <Button type="primary" size="large" block onClick={onNext}>
              {t('counter.nextCustomer')}
            </Button>
            <Button size="large" block onClick={onMore}>
              {t('counter.more')}
            </Button>
          </Flex>
        }
      />
    </Card>
  );
}
