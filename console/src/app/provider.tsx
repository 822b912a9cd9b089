import { QueryClientProvider } from '@tanstack/react-query';
import { App, ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { ErrorBoundary } from '../components/error-boundary';
import { LanguageProvider } from '../lib/i18n';
import { queryClient } from '../lib/query-client';

/**
 * antd's system font stack with the Chinese system fonts of each platform (macOS, Windows, Linux)
 * named before the generic family, so Chinese is drawn in a Chinese font rather than a Japanese one.
 */
const fontFamily = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'Segoe UI'",
  'Roboto',
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'WenQuanYi Micro Hei'",
  "'Helvetica Neue'",
  'Arial',
  'sans-serif',
].join(', ');

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    // No space put between two Chinese characters on a button ("重 试"): labels read as written.
    <ConfigProvider theme={{ token: { fontFamily } }} button={{ autoInsertSpace: false }}>
      <LanguageProvider>
        <App>
          <ErrorBoundary>
            <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
          </ErrorBoundary>
        </App>
      </LanguageProvider>
    </ConfigProvider>
  );
}
