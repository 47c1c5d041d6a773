// ESLint flat config (as the actions/typescript-action template): typescript-eslint's recommended rules plus a
// few type-aware ones that catch real bugs here (floating promises, awaiting non-promises) and are cheap to keep
// clean. Formatting is Prettier's job (eslint-config-prettier turns the stylistic rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', 'fixtures/', '**/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // The code asserts non-null where an earlier check guarantees it (e.g. head.verdict after evaluateThresholds).
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  {
    // Tests build hostile and malformed reports on purpose; `any` is how they say "whatever the JSON holds".
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } }
  },
  prettier
);
