// Lint: typescript-eslint (TypeScript 5.9: TS 7's native compiler has no JS API for it), the architecture's
// import boundaries, React hooks rules, and file size (warn past 300 lines, error past 500; docs/style.md).
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import { builtinRules } from 'eslint/use-at-your-own-risk'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { boundaries } from './build/eslint/boundaries.mjs'

// ESLint allows one severity per rule, so the 300-line review warning runs the same core rule under a second name.
const size = { rules: { 'max-lines-review': builtinRules.get('max-lines') } }

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-results/', 'playwright-report/', 'tests/bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { porchlight: { rules: { boundaries } }, size },
    rules: {
      'porchlight/boundaries': 'error',
      'max-lines': ['error', { max: 500 }],
      'size/max-lines-review': ['warn', { max: 300 }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
)
