import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', '.test-results/**', '**/*.tmp.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Un-awaited .execute() and queue.add() are real bugs here.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Import boundaries (design.md): routes never import routes; components stay presentational;
  // domain never depends on Remix; migrations never import app code.
  {
    files: ['app/routes/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['#app/routes/*', './*', '../routes/*'], message: 'Routes never import other routes: move shared code to app/domain or app/components.' }] }] },
  },
  {
    files: ['app/components/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/*.server', '**/*.server.ts'], message: 'Components are presentational: no server modules.' }] }] },
  },
  {
    files: ['app/domain/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@remix-run/*', '#app/routes/*'], message: 'Domain code is framework-free.' }] }] },
  },
  {
    files: ['db/migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['#app/*', '#workers/*'], message: 'Migrations are frozen in time: never import app code.' }] }],
    },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
