import { ConfigProvider } from 'antd';
import antdEnUS from 'antd/locale/en_US';
import antdZhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import enActions from '../locales/en-US/actions';
import enAudiences from '../locales/en-US/audiences';
import enAuth from '../locales/en-US/auth';
import enBenefits from '../locales/en-US/benefits';
import enCampaigns from '../locales/en-US/campaigns';
import enCare from '../locales/en-US/care';
import enCommon from '../locales/en-US/common';
import enDashboard from '../locales/en-US/dashboard';
import enImports from '../locales/en-US/imports';
import enKeywordApps from '../locales/en-US/keyword-apps';
import enMembers from '../locales/en-US/members';
import enMenu from '../locales/en-US/menu';
import enPhone from '../locales/en-US/phone';
import enReferrals from '../locales/en-US/referrals';
import enReminders from '../locales/en-US/reminders';
import enRetention from '../locales/en-US/retention';
import enSettings from '../locales/en-US/settings';
import enStores from '../locales/en-US/stores';
import enSurveys from '../locales/en-US/surveys';
import enTeam from '../locales/en-US/team';
import enTemplates from '../locales/en-US/templates';
import enTickets from '../locales/en-US/tickets';
import zhActions from '../locales/zh-CN/actions';
import zhAudiences from '../locales/zh-CN/audiences';
import zhAuth from '../locales/zh-CN/auth';
import zhBenefits from '../locales/zh-CN/benefits';
import zhCampaigns from '../locales/zh-CN/campaigns';
import zhCare from '../locales/zh-CN/care';
import zhCommon from '../locales/zh-CN/common';
import zhDashboard from '../locales/zh-CN/dashboard';
import zhImports from '../locales/zh-CN/imports';
import zhKeywordApps from '../locales/zh-CN/keyword-apps';
import zhMembers from '../locales/zh-CN/members';
import zhMenu from '../locales/zh-CN/menu';
import zhPhone from '../locales/zh-CN/phone';
import zhReferrals from '../locales/zh-CN/referrals';
import zhReminders from '../locales/zh-CN/reminders';
import zhRetention from '../locales/zh-CN/retention';
import zhSettings from '../locales/zh-CN/settings';
import zhStores from '../locales/zh-CN/stores';
import zhSurveys from '../locales/zh-CN/surveys';
import zhTeam from '../locales/zh-CN/team';
import zhTemplates from '../locales/zh-CN/templates';
import zhTickets from '../locales/zh-CN/tickets';
import { stored } from './stored';

const zhCN = {
  ...zhCommon,
  ...zhMenu,
  ...zhAuth,
  ...zhMembers,
  ...zhImports,
  ...zhDashboard,
  ...zhTeam,
  ...zhStores,
  ...zhActions,
  ...zhSettings,
  ...zhBenefits,
  ...zhTemplates,
  ...zhTickets,
  ...zhPhone,
  ...zhKeywordApps,
  ...zhAudiences,
  ...zhCampaigns,
  ...zhSurveys,
  ...zhRetention,
  ...zhCare,
  ...zhReminders,
  ...zhReferrals,
};
export type MessageKey = keyof typeof zhCN;

/** Whether a key made at run time (e.g. from an audit entry's route) has a text. */
export const isMessageKey = (key: string): key is MessageKey => key in zhCN;

/** Each language's texts with antd's and dayjs's locale for it, so the three always change together. */
const languages = {
  'zh-CN': { messages: zhCN, antd: antdZhCN, dayjs: 'zh-cn' },
  'en-US': {
    messages: {
      ...enCommon,
      ...enMenu,
      ...enAuth,
      ...enMembers,
      ...enImports,
      ...enDashboard,
      ...enTeam,
      ...enStores,
      ...enActions,
      ...enSettings,
      ...enBenefits,
      ...enTemplates,
      ...enTickets,
      ...enPhone,
      ...enKeywordApps,
      ...enAudiences,
      ...enCampaigns,
      ...enSurveys,
      ...enRetention,
      ...enCare,
      ...enReminders,
      ...enReferrals,
    } satisfies Record<MessageKey, string>,
    antd: antdEnUS,
    dayjs: 'en',
  },
} as const;
export type Language = keyof typeof languages;

/** Merchants are in China first: Chinese unless the browser was switched to English before. */
const defaultLanguage: Language = 'zh-CN';
const storageKey = 'mcrm.language';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface LanguageContext {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const Context = createContext<LanguageContext | undefined>(undefined);

function storedLanguage(): Language {
  const language = stored.get(storageKey);
  return language && language in languages ? (language as Language) : defaultLanguage;
}

/** Sets what lives outside React: dayjs's global locale, the page's `lang`, and the choice kept for next time. */
function apply(language: Language): void {
  dayjs.locale(languages[language].dayjs);
  document.documentElement.lang = language;
  stored.set(storageKey, language);
}

/** The chosen language's texts, with antd and dayjs in the same language. */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState(() => {
    const initial = storedLanguage();
    apply(initial);
    return initial;
  });
  const context = useMemo<LanguageContext>(() => {
    const { messages } = languages[language];
    return {
      language,
      setLanguage(next) {
        apply(next);
        setState(next);
      },
      t: (key, values) =>
        values
          ? messages[key].replace(/\{(\w+)\}/g, (hole, name: string) => String(values[name] ?? hole))
          : messages[key],
    };
  }, [language]);
  return (
    <Context value={context}>
      <ConfigProvider locale={languages[language].antd}>{children}</ConfigProvider>
    </Context>
  );
}

export function useLanguage(): LanguageContext {
  const context = useContext(Context);
  if (!context) throw new Error('useLanguage needs a LanguageProvider above it');
  return context;
}

/** The `t` of the current language: `t('signIn.codeSent', { phone })`. */
export const useT = (): Translate => useLanguage().t;
