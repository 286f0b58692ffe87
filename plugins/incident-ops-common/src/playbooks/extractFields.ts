import type { Incident } from '../types';
import type { IncidentFieldSource } from './model';

/** Reading what playbook fields need off an incident's CMDB CI and text. */

/** What a playbook field can be filled with, read off the incident. @public */
export type ExtractedIncidentFields = Partial<
  Record<IncidentFieldSource, string>
>;

// File names and Kubernetes API groups look like host names; these endings are not TLDs we
// expect in a ticket's destination.
const NOT_HOST_ENDINGS = new Set([
  'sh',
  'yaml',
  'yml',
  'json',
  'md',
  'txt',
  'log',
  'conf',
  'toml',
  'tf',
  'py',
  'js',
  'ts',
  'go',
  'jar',
  'zip',
  'tgz',
  'gz',
  'cfg',
  'ini',
  'xml',
  'pem',
  'crt',
  'key',
]);
const HOST =
  /(^|[^A-Za-z0-9@._/-]|:\/\/)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?::(\d{1,5}))?(?=$|[^A-Za-z0-9._-]|\.(?:\s|$))(\/)?/gi;
const INSTANCE_TYPE =
  /\b([a-z]+\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|metal|\d*xlarge))\b/i;
const IPV4 =
  /(?:^|[^0-9.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(\/(?:3[0-2]|[12]?\d))?(?![0-9.]*\d)/;
const PORT_WORD = /\b(?:ports?|tcp|udp)\b[^0-9\n]{0,8}?(\d{1,5})(?!\d|\.\d)/i;
const PORT_SUFFIX = /\b(\d{1,5})\/(?:tcp|udp)\b/i;
const REGION =
  /\b((?:us|eu|ap|sa|ca|me|af|il|mx)-(?:central|north|south|east|west|northeast|southeast|northwest|southwest)-\d)([a-f])?\b/i;
const FLUX_KINDS = [
  'HelmRelease',
  'Kustomization',
  'GitRepository',
  'HelmRepository',
  'OCIRepository',
  'HelmChart',
  'ImageUpdateAutomation',
  'ImagePolicy',
  'ImageRepository',
  'Bucket',
];
const FLUX = new RegExp(
  `\\b(${FLUX_KINDS.join('|')})(?:\\s+|/)([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)`,
  'i',
);
const K8S_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

// Words that follow "namespace" in tickets without being one.
const NOT_NAMESPACES = new Set([
  'access',
  'rbac',
  'the',
  'a',
  'is',
  'for',
  'and',
  'quota',
  'request',
  'role',
  'edit',
  'view',
  'admin',
  'owner',
  'owners',
  'label',
  'labels',
  'selector',
  'level',
  'scoped',
]);

// `app=document-archive`, `app: portal-web`, `app label document-archive`: as written
const APP_LABEL =
  /\bapp(?:\s*[=:]\s*|[ -]label\s*(?:[=:]|\bis\b)?\s*)[`'"]?([A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9])/gi;
// `the document-archive pods`: a name with a dash or a digit, which tells it from "the pods",
// "runner pods"; a namespace-like name (`livelink-prod pods`) names the namespace, not an app
const APP_PODS = /\b([a-z0-9][a-z0-9-]*[a-z0-9])\s+pods?\b/gi;
const ENVIRONMENT_SUFFIX = /-(prod|prd|uat|dev|test|qa|stg|staging)$/;

// Words in parentheses or after "for" in access tickets that are not logins.
const NOT_USERS = new Set([
  'view',
  'edit',
  'admin',
  'read-only',
  'readonly',
  'on-call',
  'oncall',
  'portmapper',
  'tls',
  'prod',
  'uat',
  'dev',
]);

/** The first capture of any of `patterns` (global) that `accept` takes, lowercased. */
function firstMatch(
  text: string,
  patterns: RegExp[],
  accept: (value: string) => boolean,
): string | undefined {
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const value = m[1].toLowerCase();
      if (accept(value)) return value;
    }
  }
  return undefined;
}

const validPort = (p: string | undefined) =>
  p !== undefined && Number(p) >= 1 && Number(p) <= 65535
    ? String(Number(p))
    : undefined;

/** Host names in a text with the port written after each (`host:443`), in order. */
function hostsIn(text: string): Array<{ host: string; port?: string }> {
  const found: Array<{ host: string; port?: string }> = [];
  for (const m of text.matchAll(HOST)) {
    const [, before, host, port, slash] = m;
    const ending = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
    if (NOT_HOST_ENDINGS.has(ending) || INSTANCE_TYPE.test(host)) continue;
    // `karpenter.sh/do-not-disrupt`, `nvidia.com/gpu`: an API group, not a destination,
    // unless it is a URL's host
    if (slash && before !== '://' && port === undefined) continue;
    const h = host.toLowerCase();
    const existing = found.find(f => f.host === h);
    if (existing) {
      existing.port = existing.port ?? validPort(port);
    } else {
      found.push({ host: h, port: validPort(port) });
    }
  }
  return found;
}

/**
 * Reads what playbooks need off an incident: cluster and namespace from the CMDB CI
 * (`cluster:namespace`, or a bare cluster CI when `isCluster` says so) and else from the text;
 * host names, ports, CIDRs, change and security references, the pods' app label, Kubernetes
 * and AWS names from the short description and description. Values not found are absent
 * (`egressCidr`, and `appLabel` when the text has none, come from the catalog: the backend
 * adds them).
 * @public
 */
export function extractIncidentFields(
  incident: Pick<
    Incident,
    | 'number'
    | 'shortDescription'
    | 'description'
    | 'priority'
    | 'caller'
    | 'configurationItem'
  >,
  options?: { isCluster?: (ci: string) => boolean },
): ExtractedIncidentFields {
  const out: ExtractedIncidentFields = {
    number: incident.number,
    shortDescription: incident.shortDescription,
    priority: incident.priority,
  };
  const requester = incident.caller?.name ?? incident.caller?.id;
  if (requester) out.requester = requester;
  const text = `${incident.shortDescription}\n${incident.description ?? ''}`;

  const ci = incident.configurationItem?.name?.trim();
  if (ci?.includes(':')) {
    const [cluster, namespace] = ci.split(':', 2);
    if (K8S_NAME.test(cluster)) out.cluster = cluster;
    if (K8S_NAME.test(namespace)) out.namespace = namespace;
  } else if (ci && K8S_NAME.test(ci) && options?.isCluster?.(ci)) {
    out.cluster = ci;
  }
  if (!out.namespace) {
    const ns = firstMatch(
      text,
      [
        /\bnamespace\s+[`'"]?([a-z0-9][a-z0-9-]*[a-z0-9])\b/gi,
        /\b([a-z0-9][a-z0-9-]*[a-z0-9])\s+(?:ns|namespace)\b/gi,
        /(?:^|\s)-n\s+([a-z0-9][a-z0-9-]*[a-z0-9])\b/g,
      ],
      name => K8S_NAME.test(name) && !NOT_NAMESPACES.has(name),
    );
    if (ns) out.namespace = ns;
  }

  const app =
    [...text.matchAll(APP_LABEL)].map(m => m[1]).find(v => !/^\d+$/.test(v)) ??
    firstMatch(
      text,
      [APP_PODS],
      name =>
        /[-0-9]/.test(name) &&
        !/^[0-9-]+$/.test(name) &&
        name !== out.namespace &&
        name !== out.cluster &&
        !ENVIRONMENT_SUFFIX.test(name),
    );
  if (app) out.appLabel = app;

  const hosts = hostsIn(text);
  if (hosts.length > 0) {
    out.fqdn = hosts[0].host;
    out.destinations = hosts
      .map(h => (h.port ? `${h.host}:${h.port}` : h.host))
      .join(', ');
  }
  const port =
    hosts[0]?.port ??
    validPort(PORT_WORD.exec(text)?.[1]) ??
    validPort(PORT_SUFFIX.exec(text)?.[1]);
  if (port) out.port = port;

  const ip = IPV4.exec(text);
  if (ip) out.cidr = `${ip[1]}${ip[2] ?? '/32'}`;

  const change = /\b(CHG\d{5,})\b/i.exec(text);
  if (change) out.changeRef = change[1].toUpperCase();
  const security = /\b(SEC-\d+)\b/i.exec(text);
  if (security) out.securityRef = security[1].toUpperCase();

  if (/\badmin\b/i.test(text) && !/\bedit\b|\bview\b/i.test(text)) {
    out.accessRole = 'admin';
  } else if (/\bedit\b/i.test(text)) {
    out.accessRole = 'edit';
  } else if (/\bview\b|read-?only/i.test(text)) {
    out.accessRole = 'view';
  }
  const group =
    /\bAD[ -]group\s+[`'"]?([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])/i.exec(text);
  if (group) out.adGroup = group[1];
  // `(mnovak)`, `for rahul.mehta`: a login, not a role word or a host name
  const user = firstMatch(
    text,
    [/\(([a-z][a-z0-9._-]{1,62})\)/g, /\bfor\s+([a-z]+[._-][a-z0-9]+)\b/g],
    name => !NOT_USERS.has(name) && (name.match(/\./g) ?? []).length < 2,
  );
  if (user) out.accessUser = user;

  // `NodePool gpu-a10g`, `pool np-monitoring`, `gpu-a10g NodePool`: pool names carry a dash
  // or a digit, which tells them from "node pool on rtg"
  const pool = firstMatch(
    text,
    [
      /\b(?:node ?pool|pool)\s+[`'"]?([a-z0-9][a-z0-9-]*[a-z0-9])/gi,
      /\b([a-z0-9][a-z0-9-]*[a-z0-9])\s+node ?pool\b/gi,
    ],
    name => /[-0-9]/.test(name),
  );
  if (pool) out.nodePool = pool;
  const instance = INSTANCE_TYPE.exec(text);
  if (instance) out.instanceType = instance[1].toLowerCase();
  const region = REGION.exec(text);
  if (region) {
    out.region = region[1].toLowerCase();
    if (region[2]) {
      out.availabilityZone = `${region[1]}${region[2]}`.toLowerCase();
    }
  }
  const segment = '[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*';
  const project = firstMatch(
    text,
    [
      new RegExp(
        `https?://[^/\\s]*gitlab[^/\\s]*/(${segment}(?:/${segment})+?)(?=/-/|\\.git\\b|[\\s)]|$)`,
        'gi',
      ),
      new RegExp(
        `\\b(?:project|pipelines for)\\s+(${segment}(?:/${segment})+)`,
        'gi',
      ),
    ],
    () => true,
  );
  if (project) out.gitlabProject = project;
  const tag = /\btag:?\s+[`'"]?([a-z0-9][a-z0-9_.-]*[a-z0-9])/i.exec(text);
  if (tag) out.runnerTag = tag[1].toLowerCase();
  const flux = FLUX.exec(text);
  if (flux) {
    out.fluxKind = FLUX_KINDS.find(
      k => k.toLowerCase() === flux[1].toLowerCase(),
    );
    out.fluxName = flux[2].toLowerCase();
  }
  return out;
}
