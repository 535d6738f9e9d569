import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import simpleImportSort from 'eslint-plugin-simple-import-sort'
import globals from 'globals'

const AUDIENCES = ['public', 'account', 'courses', 'hours', 'hr', 'base', 'admin', 'api']

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
    plugins: { 'react-hooks': reactHooks, 'simple-import-sort': simpleImportSort },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      // Un-awaited .execute() and queue.add() are real bugs here.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['**/*.tsx'], ...jsxA11y.flatConfigs.recommended },
  // Import boundaries (layout.md): dependencies point one way.
  //   routes → domain, components, i18n, auth, lib (never another audience's routes)
  //   http → domain, auth, lib · auth → domain, lib · domain → db, lib · workers → domain, lib
  //   components → i18n and pure domain modules · lib → nothing of ours but db types and the job contract
  // (Regexes, because gitignore-style patterns read a leading # as a comment.)
  ...AUDIENCES.map((audience) => ({
    files: [`app/routes/${audience}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^#app/routes/(?!${audience}/)`,
              message: "A route never imports another audience's routes: move shared code to app/domain or app/components.",
            },
            {
              regex: '^(\\.\\./|#workers/)',
              message: 'Routes import domain, components, i18n, auth, lib (and the API handlers in app/http they wrap) only.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['app/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(\\.server(\\.tsx?)?$|^#app/(routes|http|auth)/|^#workers/)',
              message: 'Components are presentational: no server modules, routes or workers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@remix-run/|react$|react-dom|#app/(routes|http|auth|components|i18n)/|#workers/(?!jobs/contract))',
              message: 'Domain code is framework-free: it depends on db and lib only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(#app/(domain|routes|http|auth|components|i18n)/|\\.\\./)',
              message: 'app/lib is plumbing: it imports no domain, route or UI module.',
            },
            {
              regex: '^#workers/(?!jobs/contract\\.ts$)',
              message: 'app/lib imports the job contract only (workers/jobs/contract.ts), never processors.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(#app/(routes|components)/|@remix-run/react|react$)', message: 'The fast path imports domain, auth and lib only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['app/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^#app/(routes|http|components)/', message: 'Auth glue imports domain and lib only.' }] },
      ],
    },
  },
  {
    files: ['workers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(#app/(routes|http|components|auth)/|@remix-run/)', message: 'Workers call domain functions, never routes or UI.' },
          ],
        },
      ],
    },
  },
  {
    // The contract is imported by the web process: zod and types only, never domain code or processors.
    files: ['workers/jobs/contract.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(#|\\.)', message: 'The job contract imports nothing of ours (the web process loads it).' }] },
      ],
    },
  },
  {
    files: ['db/migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^#(app|workers)/', message: 'Migrations are frozen in time: never import app code.' }] },
      ],
    },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
