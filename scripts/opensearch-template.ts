// `npm run sink:template -- [--sink <LOG_SINK>] [--name <template>] [--shards <n>] [--dry-run]`:
// installs the index template for the forwarder's records in the OpenSearch or Elasticsearch
// cluster of LOG_SINK (credentials as the forwarder reads them: user info, LOG_SINK_TOKEN or
// LOG_SINK_SECRET_ID; SigV4 with your AWS credentials for aws=es|aoss). Exit codes: 0 done,
// 2 usage, 1 anything else.
import '../tools/require-node.js';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../forwarder/src/config.js';
import { sinkCredentials } from '../forwarder/src/secrets.js';
import { createSearchClient, type SearchClient } from '../forwarder/src/sinks/opensearch/client.js';
import { searchSinkConfig, type SearchSinkConfig } from '../forwarder/src/sinks/opensearch/config.js';
import { resolveIndex } from '../forwarder/src/sinks/opensearch/index-name.js';
import type { Env } from '../shared/config.js';
import { UsageError } from '../tools/errors.js';
import {
  appFieldTypeFor,
  composableTemplate,
  legacyTemplate,
  templateNameFor,
  type AppFieldType,
  type TemplatePlan,
} from './opensearch-template-body.js';

export const templateUsage =
  'usage: npm run sink:template -- [--sink <LOG_SINK>] [--name <template>] [--shards <n>] [--dry-run]';

export interface TemplateArgs {
  sink?: string;
  name?: string;
  shards: number;
  dryRun: boolean;
  help: boolean;
}

export function parseTemplateArgs(argv: readonly string[]): TemplateArgs {
  const args: TemplateArgs = { shards: 1, dryRun: false, help: false };
  for (let at = 0; at < argv.length; at += 1) {
    const flag = argv[at];
    const value = () => {
      const next = argv[(at += 1)];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--sink') args.sink = value();
    else if (flag === '--name') args.name = value();
    else if (flag === '--shards') {
      const raw = value();
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1024) throw new UsageError(`--shards must be 1–1024, got ${raw}`);
      args.shards = Number(raw);
    } else if (flag === '--dry-run') args.dryRun = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else throw new UsageError(`unknown argument ${flag}`);
  }
  return args;
}

/** Asks the cluster what it runs (`GET /`) to pick the `app` mapping; `object` when it will not say. */
export async function detectAppField(client: SearchClient): Promise<AppFieldType> {
  try {
    const info = await client.transport.request({ method: 'GET', path: '/' });
    return appFieldTypeFor(info.body);
  } catch {
    // OpenSearch Serverless, or a role without access to `GET /`: the mapping every version has.
    return 'object';
  }
}

/**
 * `PUT _index_template/<name>`; a cluster without composable templates (Elasticsearch before
 * 7.8 answers "no handler found") gets the legacy `PUT _template/<name>` instead.
 */
export async function installIndexTemplate(client: SearchClient, plan: TemplatePlan): Promise<'composable' | 'legacy'> {
  const name = encodeURIComponent(plan.name);
  try {
    await client.transport.request({ method: 'PUT', path: `/_index_template/${name}`, body: composableTemplate(plan) });
    return 'composable';
  } catch (error) {
    if (!lacksComposableTemplates(error)) throw error;
    await client.transport.request({ method: 'PUT', path: `/_template/${name}`, body: legacyTemplate(plan) });
    return 'legacy';
  }
}

function lacksComposableTemplates(error: unknown): boolean {
  const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
  if (meta?.statusCode === 404 || meta?.statusCode === 405) return true;
  const body = meta?.body as { error?: unknown } | string | undefined;
  const text = typeof body === 'string' ? body : typeof body?.error === 'string' ? body.error : '';
  return meta?.statusCode === 400 && /no handler found|incorrect http method/i.test(text);
}

/** Does the index today's records go to exist already? (A template applies to new indices only.) */
async function indexExists(client: SearchClient, index: string): Promise<boolean> {
  try {
    const answer = await client.transport.request({ method: 'HEAD', path: `/${encodeURIComponent(index)}` }, { ignore: [404] });
    return answer.statusCode === 200;
  } catch {
    return false;
  }
}

export function planFor(config: SearchSinkConfig, args: TemplateArgs, appField: AppFieldType): TemplatePlan {
  return {
    name: args.name ?? templateNameFor(config.index),
    indexPatterns: [config.index.wildcard],
    appField,
    serverless: config.auth.kind === 'sigv4' && config.auth.service === 'aoss',
    shards: args.shards,
  };
}

/** Installs the template for LOG_SINK and returns what to print. */
export async function runTemplate(env: Env, args: TemplateArgs, now = new Date()): Promise<string> {
  const forwarder = loadConfig(args.sink ? { ...env, LOG_SINK: args.sink } : env);
  if (args.dryRun) {
    // No connection, so no credentials: an empty password stands in for one kept in the secret.
    const config = searchSinkConfig(forwarder.sink, { region: forwarder.region, gzip: false, password: '' });
    // Without asking the cluster: what current versions of each support.
    const plan = planFor(config, args, config.flavor === 'opensearch' ? 'flat_object' : 'flattened');
    return `PUT _index_template/${plan.name}\n${JSON.stringify(composableTemplate(plan), null, 2)}\n`;
  }
  const credentials = await sinkCredentials(forwarder);
  const config = searchSinkConfig(forwarder.sink, { ...credentials, region: forwarder.region, gzip: false });
  const client = await createSearchClient(config, { maxRetries: 2, requestTimeout: 30_000 });
  try {
    const plan = planFor(config, args, await detectAppField(client));
    const kind = await installIndexTemplate(client, plan);
    const today = resolveIndex(config.index, now.toISOString());
    const lines = [
      `installed ${kind === 'composable' ? 'index template' : 'legacy index template (_template)'} ${plan.name} on ${config.node.origin}`,
      `  indices: ${plan.indexPatterns.join(', ')} (LOG_SINK index ${config.index.source})`,
      `  app:     mapped as ${plan.appField}`,
    ];
    if (await indexExists(client, today)) {
      lines.push(`  note:    ${today} exists already and keeps its mappings; the template applies from the next new index on`);
    }
    return `${lines.join('\n')}\n`;
  } finally {
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const args = parseTemplateArgs(process.argv.slice(2));
    process.stdout.write(args.help ? `${templateUsage}\n` : await runTemplate(process.env, args));
  } catch (error) {
    const { name, message } = error as Error;
    process.stderr.write(`sink:template: ${message}${name === 'UsageError' ? `\n${templateUsage}` : ''}\n`);
    process.exitCode = name === 'UsageError' ? 2 : 1;
  }
}
