import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { recordInputs } from './build.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), recordInputs()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // React and the router change less often than our code and every page needs them: in a chunk
        // of their own, a deployment that changes only our code leaves it cached in the browser. antd
        // is left to the bundler, so a component only lazy pages use loads with them.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ }],
        },
      },
    },
  },
});
