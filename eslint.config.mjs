// ESLint 9 flat config: typescript-eslint's recommended rules everywhere, the rules of hooks in the app.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.local/**',
      '.swc/**',
      '.temp/**',
      '.cache/**',
      '.scratch/**',
      'coverage/**',
      // Deno code, checked by `deno check` / `deno lint` with its own configuration.
      'supabase/functions/**',
      'supabase/local/functions/host.ts',
      'tests/fixtures/functions/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The mini-program / H5 app.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Node: build configuration, scripts, tests and the local backend.
    files: ['config/**', 'scripts/**', 'tests/**', 'supabase/local/**', '*.{js,mjs,cjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
