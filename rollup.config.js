// Two self-contained ESM bundles: the action entry (action.yml → dist/index.js) and the CLI (bin → dist/cli.js).
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

// sql.js (rpmdb.sqlite reader) sets `module = undefined` inside its factory so emscripten's own export line is
// skipped, but the CommonJS plugin folds `typeof module !== 'undefined'` to true, and the line then throws. A
// throwaway module object keeps the factory's intent.
const sqlJsModuleShim = {
  name: 'sql-js-module-shim',
  transform(code, id) {
    return id.includes('/sql.js/dist/') ? code.replace('module = undefined;', 'module = { exports: {} };') : null;
  }
};

const bundle = (input, file, banner) => ({
  input,
  output: { file, format: 'es', sourcemap: false, banner, inlineDynamicImports: true },
  plugins: [
    typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], outDir: 'dist', noEmitOnError: true }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    sqlJsModuleShim,
    commonjs(),
    json()
  ],
  onwarn(warning, warn) {
    // @actions/* and octokit use `this` at module top level in their ESM output; harmless.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  }
});

export default [
  bundle('src/action/main.ts', 'dist/index.js'),
  bundle('src/cli/main.ts', 'dist/cli.js', '#!/usr/bin/env node')
];
