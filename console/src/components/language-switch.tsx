import { TranslationOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useLanguage } from '../lib/i18n';

/** One button naming the other language in that language ("English" / "中文"). */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useLanguage();
  const other = language === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <Button
      type="text"
      icon={<TranslationOutlined aria-hidden />}
      lang={other}
      onClick={() => setLanguage(other)}
    >
      {t('language.other')}
    </Button>
  );
}
