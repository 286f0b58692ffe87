import {
  DEFAULT_PLAYBOOK_MAPPING,
  Playbook,
  TICKET_TYPES,
  TicketType,
  validatePlaybook,
} from '@acme/plugin-incident-ops-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import fs from 'fs/promises';
import path from 'path';
import { parseDocument } from 'yaml';

/** A playbook and the file it was read from. */
export interface LoadedPlaybook {
  playbook: Playbook;
  /** The file's path, relative to the playbooks directory. */
  file: string;
}

/** The playbooks in force and which ticket type runs which. */
export interface PlaybookLibrary {
  directory: string;
  list(): LoadedPlaybook[];
  get(id: string): LoadedPlaybook | undefined;
  /** The playbook a ticket type runs, per the mapping. */
  forTicketType(type: TicketType | undefined): LoadedPlaybook | undefined;
  mapping: Partial<Record<TicketType, string>>;
}

const KEY = 'incidentOps.playbooks';

/**
 * A directory from config: absolute, or relative to the backend's working directory
 * (packages/backend under `yarn start`), like the catalog's file locations. Without config,
 * the repository's own folder (`<repo>/<name>`, two levels above this package).
 */
export function resolveContentDirectory(
  configured: string | undefined,
  name: string,
): string {
  if (configured) return path.resolve(process.cwd(), configured);
  return resolvePackagePath(
    '@acme/plugin-incident-ops-backend',
    '..',
    '..',
    name,
  );
}

/** Reads the `.yaml`/`.yml` files of a directory, in name order, as parsed YAML documents. */
export async function readYamlFiles(
  directory: string,
  key: string,
): Promise<Array<{ file: string; data: unknown }>> {
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch (e) {
    throw new Error(
      `Invalid config at ${key}: cannot read the directory ${directory} (${
        (e as Error).message
      })`,
    );
  }
  const out: Array<{ file: string; data: unknown }> = [];
  for (const file of names.filter(n => /\.ya?ml$/.test(n)).sort()) {
    const text = await fs.readFile(path.join(directory, file), 'utf8');
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      throw new Error(
        `Invalid file ${path.join(directory, file)}: ${doc.errors
          .map(e => e.message.split('\n')[0])
          .join('; ')}`,
      );
    }
    out.push({ file, data: doc.toJS() });
  }
  return out;
}

/**
 * Loads and checks every playbook file of a directory. A file whose playbook is invalid, or
 * whose id is not its file name, stops start-up with an error naming the file and the keys.
 */
export async function loadPlaybooks(
  directory: string,
): Promise<LoadedPlaybook[]> {
  const loaded: LoadedPlaybook[] = [];
  for (const { file, data } of await readYamlFiles(
    directory,
    `${KEY}.directory`,
  )) {
    const { playbook, problems } = validatePlaybook(data);
    const base = file.replace(/\.ya?ml$/, '');
    if (playbook && playbook.id !== base) {
      problems.push(
        `id: '${playbook.id}' must be the file name without .yaml ('${base}')`,
      );
    }
    if (loaded.some(l => l.playbook.id === base)) {
      problems.push(`id: '${base}' is already defined by another file`);
    }
    if (!playbook || problems.length > 0) {
      throw new Error(
        `Invalid playbook file ${path.join(directory, file)}: ${problems.join(
          '; ',
        )}`,
      );
    }
    loaded.push({ playbook, file });
  }
  return loaded;
}

/** Checks a ticket type → playbook mapping against the ticket types and the playbooks. */
export function validateMapping(
  mapping: Record<string, string>,
  ids: string[],
): string[] {
  return Object.entries(mapping).flatMap(([type, id]) => {
    const problems: string[] = [];
    if (!(TICKET_TYPES as readonly string[]).includes(type)) {
      problems.push(
        `${KEY}.mapping.${type}: '${type}' is not a ticket type (${TICKET_TYPES.join(
          ', ',
        )})`,
      );
    }
    if (!ids.includes(id)) {
      problems.push(
        `${KEY}.mapping.${type}: no playbook '${id}' (loaded: ${
          ids.join(', ') || 'none'
        })`,
      );
    }
    return problems;
  });
}

/**
 * The playbooks from `incidentOps.playbooks.directory` and the mapping from
 * `incidentOps.playbooks.mapping` (default: Appendix A), checked at start-up.
 */
export async function readPlaybookLibrary(
  config: Config,
): Promise<PlaybookLibrary> {
  const section = config.getOptionalConfig(KEY);
  const directory = resolveContentDirectory(
    section?.getOptionalString('directory'),
    'playbooks',
  );
  const loaded = await loadPlaybooks(directory);
  const byId = new Map(loaded.map(l => [l.playbook.id, l]));

  const configured = section?.getOptionalConfig('mapping');
  const mapping: Record<string, string> = configured
    ? Object.fromEntries(
        configured.keys().map(k => [k, configured.getString(k)]),
      )
    : { ...DEFAULT_PLAYBOOK_MAPPING };
  const problems = validateMapping(mapping, [...byId.keys()]);
  if (problems.length > 0) {
    throw new Error(`Invalid config: ${problems.join('; ')}`);
  }
  return {
    directory,
    mapping,
    list: () => loaded,
    get: id => byId.get(id),
    forTicketType: type =>
      type && mapping[type] ? byId.get(mapping[type]) : undefined,
  };
}
