import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One `no-restricted-imports` rule for a folder: the import patterns its files may not use. */
function layer(files, patterns) {
  return [{ files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } }];
}

export default tseslint.config(
  { ignores: ['node_modules/', '.local/', '**/.serverless/', '**/.esbuild/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  // The layering, as rules (docs/architecture.md draws it): arrows point down only.
  ...layer(['forwarder/**', 'auth-service/**'], [
    { regex: String.raw`(^|/)(local|scripts|bench|test|tools|web)/`, message: 'Lambda code never imports the offline stack, scripts, benchmarks, tests or tools.' },
  ]),
  ...layer(['shared/**'], [
    { regex: String.raw`(^|/)(forwarder|auth-service|local|scripts|bench|test|tools|web)/`, message: 'shared/ is the floor: it imports nothing of the services or the tools above it.' },
  ]),
  ...layer(['tools/**'], [
    { regex: String.raw`(^|/)(local|scripts|bench|test)/`, message: 'tools/ is the floor that local/, scripts/ and bench/ stand on; it imports none of them.' },
  ]),
  ...layer(['local/**'], [
    { regex: String.raw`(^|/)(scripts|bench|test)/`, message: 'local/ stands on tools/, not on scripts/, bench/ or tests.' },
  ]),
  ...layer(['web/**'], [
    { regex: String.raw`(^|/)(forwarder|local|scripts|bench|test|tools)/`, message: 'The browser client imports no Node code.' },
    { regex: String.raw`(^|/)auth-service/`, allowTypeImports: true, message: 'web/ takes only types from auth-service/.' },
  ]),
  ...layer(['auth-service/src/handlers/**', 'auth-service/src/triggers/**'], [
    { regex: String.raw`/(repositories|clients)/`, message: 'Handlers call the domain; runtime.ts wires the adapters.' },
  ]),
  ...layer(['auth-service/src/domain/**'], [
    { regex: String.raw`/(handlers|triggers|clients)/|/runtime\.js$`, message: 'Domain code knows no handler, no SDK client and no wiring; it uses the repositories\' ports.' },
  ]),
  ...layer(['auth-service/src/repositories/**', 'auth-service/src/clients/**'], [
    { regex: String.raw`/(handlers|triggers)/|/runtime\.js$`, message: 'Adapters sit below the handlers and the wiring.' },
    { regex: String.raw`/domain/(?!profile\.js$)`, message: 'Adapters take the domain model (domain/profile.ts), never the domain services above them.' },
  ]),
  ...layer(['forwarder/src/sinks/**'], [
    { regex: String.raw`(^|/)\.\./(\.\./)?(handler|forward|deliver|transform|batch|decode|filter)\.js$`, message: 'Sinks sit below the delivery loop.' },
  ]),
  ...layer(['forwarder/src/sinks/*/**'], [
    { regex: String.raw`^\.\./(http|loki|splunk|datadog|opensearch|sqlite)/`, message: 'A sink imports sinks/shared/, never another sink.' },
  ]),
  ...layer(['forwarder/src/sinks/shared/**'], [
    { regex: String.raw`^\.\./(http|loki|splunk|datadog|opensearch|sqlite)/`, message: 'The sink kit knows no particular sink.' },
  ]),
  ...layer(['forwarder/src/parse/**'], [
    { regex: String.raw`/sinks/`, message: 'Parsers know nothing of where records go.' },
  ]),
  {
    // Plain ES modules (test fixtures run as Lambda handlers): TypeScript checks the .ts files'
    // globals, so only these need Node's named for ESLint.
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
