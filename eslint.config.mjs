// ESLint 9 flat config: typescript-eslint's recommended rules everywhere, the rules of hooks in the app.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// The web globals the mini-program runtime lacks (ARCHITECTURE.md §5). Only the platform layer touches
// them: the adapters and polyfills that stand in for them on the mini-program.
const WEB_GLOBALS = [
  'fetch',
  'URL',
  'URLSearchParams',
  'localStorage',
  'window',
  'document',
  'Headers',
  'Request',
  'Response',
  'AbortController',
  'TextEncoder',
  'WebSocket',
]
const PLATFORM_LAYER = ['src/services/supabase/**', 'src/services/platform/**']
const webGlobalMessage = (name) =>
  `The mini-program has no ${name}: only the platform layer (src/services/supabase/, src/services/platform/) may use it.`

// What pages and components may not import: the Supabase client and the rest of the platform layer
// behind it. They read and write through src/services/<domain>/ (queries, mutations, hooks). The
// generated database types stay importable as types.
const CLIENT_IMPORT = {
  regex: '(^|/|@/)services/supabase(/(?!database\\.types$).*)?$',
  message: 'Pages and components go through src/services/<domain>/ (queries, mutations, hooks), never the Supabase client.',
}

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
    // The app outside the platform layer: no web global the mini-program lacks, not even through
    // globalThis or window.
    files: ['src/**/*.{ts,tsx}'],
    ignores: PLATFORM_LAYER,
    rules: {
      'no-restricted-globals': ['error', ...WEB_GLOBALS.map((name) => ({ name, message: webGlobalMessage(name) }))],
      'no-restricted-properties': [
        'error',
        ...['globalThis', 'window', 'self', 'global'].flatMap((object) =>
          WEB_GLOBALS.map((property) => ({ object, property, message: webGlobalMessage(property) })),
        ),
      ],
    },
  },
  {
    // Pages and components: data through src/services/<domain>/, never the client itself.
    files: ['src/pages/**/*.{ts,tsx}', 'src/subpackages/**/*.{ts,tsx}', 'src/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [CLIENT_IMPORT] }],
    },
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
