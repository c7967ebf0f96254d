import { describe, expect, it } from 'vitest';
import { searchSinkConfig } from '../../forwarder/src/sinks/opensearch/config.js';
import { parseIndexPattern } from '../../forwarder/src/sinks/opensearch/index-name.js';
import {
  appFieldTypeFor,
  composableTemplate,
  legacyTemplate,
  recordMappings,
  templateNameFor,
  type TemplatePlan,
} from '../../scripts/opensearch-template-body.js';
import { parseTemplateArgs, planFor, runTemplate } from '../../scripts/opensearch-template.js';

const plan = (overrides: Partial<TemplatePlan> = {}): TemplatePlan => ({
  name: 'log-forwarder-logs',
  indexPatterns: ['logs-*.*.*'],
  appField: 'flat_object',
  serverless: false,
  shards: 1,
  ...overrides,
});

type Properties = Record<string, { type?: string; properties?: Properties; fields?: Properties; ignore_above?: number; dynamic?: unknown }>;
const propertiesOf = (mappings: Record<string, unknown>) => mappings.properties as Properties;

/** The mapping of a dotted field path. */
const field = (mappings: Record<string, unknown>, path: string) =>
  path.split('.').reduce<Properties[string] | undefined>((node, name, at) => (at === 0 ? propertiesOf(mappings)[name] : node?.properties?.[name]), undefined);

describe('the index template body', () => {
  const mappings = recordMappings('flat_object');

  it('types the record schema: keywords for ids and names, text for messages, a nanosecond date', () => {
    expect(field(mappings, '@timestamp')?.type).toBe('date_nanos');
    expect(field(mappings, 'message')).toEqual({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 1024 } } });
    for (const path of ['log.level', 'event.id', 'faas.name', 'faas.execution', 'trace.id', 'service.name', 'aws.cloudwatch.log_group', 'cloud.account.id', 'error.type']) {
      expect(field(mappings, path)?.type, path).toBe('keyword');
    }
    expect(field(mappings, 'error.message')?.type).toBe('text');
    expect(field(mappings, 'error.stack_trace')?.type).toBe('text');
  });

  it('types REPORT metrics as numbers and the cold start as a boolean', () => {
    expect(field(mappings, 'aws.lambda.report.duration_ms')?.type).toBe('double');
    expect(field(mappings, 'aws.lambda.report.init_duration_ms')?.type).toBe('double');
    expect(field(mappings, 'aws.lambda.report.billed_duration_ms')?.type).toBe('long');
    expect(field(mappings, 'aws.lambda.report.max_memory_used_mb')?.type).toBe('long');
    expect(field(mappings, 'aws.lambda.report.status')?.type).toBe('keyword');
    expect(field(mappings, 'faas.coldstart')?.type).toBe('boolean');
    expect(field(mappings, 'log.truncated')?.type).toBe('boolean');
    expect(field(mappings, 'log.original_bytes')?.type).toBe('long');
  });

  it('maps app as one field, so app keys never add mappings', () => {
    expect(field(recordMappings('flat_object'), 'app')).toEqual({ type: 'flat_object' });
    expect(field(recordMappings('flattened'), 'app')).toEqual({ type: 'flattened', ignore_above: 1024 });
    expect(field(recordMappings('object'), 'app')).toEqual({ type: 'object', dynamic: false });
  });

  it('indexes future string fields as keywords and never guesses dates', () => {
    expect(mappings).toMatchObject({
      dynamic: true,
      date_detection: false,
      dynamic_templates: [{ strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }],
    });
  });

  it('builds a composable template above the built-in ones, with settings except on Serverless', () => {
    expect(composableTemplate(plan())).toMatchObject({
      index_patterns: ['logs-*.*.*'],
      priority: 200,
      template: { settings: { index: { number_of_shards: 1, refresh_interval: '5s', codec: 'best_compression' } }, mappings: { properties: {} } },
    });
    expect(composableTemplate(plan({ serverless: true })).template).not.toHaveProperty('settings');
    expect(composableTemplate(plan({ shards: 3 }))).toMatchObject({ template: { settings: { index: { number_of_shards: 3 } } } });
  });

  it('builds the legacy template with the same patterns, settings and mappings', () => {
    const legacy = legacyTemplate(plan({ appField: 'flattened' }));

    expect(legacy).toMatchObject({ index_patterns: ['logs-*.*.*'], order: 200, settings: { index: { number_of_shards: 1 } } });
    expect(legacy.mappings).toEqual(recordMappings('flattened'));
  });

  it('names the template and its pattern after the LOG_SINK index', () => {
    expect(templateNameFor(parseIndexPattern('logs-%Y.%m.%d'))).toBe('log-forwarder-logs');
    expect(templateNameFor(parseIndexPattern('prod-lambda-%Y.%m'))).toBe('log-forwarder-prod-lambda');
    expect(templateNameFor(parseIndexPattern('%Y'))).toBe('log-forwarder-logs');

    const config = searchSinkConfig('opensearch+https://h.example.test?index=app-%Y.%m.%d&aws=aoss&region=eu-west-1');
    expect(planFor(config, parseTemplateArgs([]), 'object')).toEqual({
      name: 'log-forwarder-app',
      indexPatterns: ['app-*.*.*'],
      appField: 'object',
      serverless: true,
      shards: 1,
    });
  });
});

describe('the app mapping by cluster', () => {
  it.each([
    [{ version: { distribution: 'opensearch', number: '2.19.1' } }, 'flat_object'],
    [{ version: { distribution: 'opensearch', number: '3.0.0' } }, 'flat_object'],
    [{ version: { distribution: 'opensearch', number: '2.5.0' } }, 'object'],
    [{ version: { number: '8.15.0', build_flavor: 'default' } }, 'flattened'],
    [{ version: { number: '7.10.2', build_flavor: 'oss' } }, 'object'],
    [{ version: { number: '7.2.0', build_flavor: 'default' } }, 'object'],
    [null, 'object'],
  ])('%j → %s', (info, expected) => {
    expect(appFieldTypeFor(info)).toBe(expected);
  });
});

describe('template command line', () => {
  it('reads the sink, name, shards and dry run', () => {
    expect(parseTemplateArgs(['--sink', 'opensearch+http://h', '--name', 't', '--shards', '2', '--dry-run'])).toEqual({
      sink: 'opensearch+http://h',
      name: 't',
      shards: 2,
      dryRun: true,
      help: false,
    });
  });

  it('prints the template without connecting on --dry-run, even when the password is in the secret', async () => {
    const output = await runTemplate({ LOG_SINK: 'elasticsearch+https://writer@search.example.test?index=app-%Y.%m' }, parseTemplateArgs(['--dry-run']));

    const [request, ...body] = output.split('\n');
    expect(request).toBe('PUT _index_template/log-forwarder-app');
    expect(JSON.parse(body.join('\n'))).toMatchObject({ index_patterns: ['app-*.*'], template: { mappings: { properties: { app: { type: 'flattened' } } } } });
  });

  it.each([[['--shards', '0']], [['--name']], [['--what']]])('refuses %j with a usage error', (argv) => {
    expect(() => parseTemplateArgs(argv)).toThrow(expect.objectContaining({ name: 'UsageError' }));
  });
});
