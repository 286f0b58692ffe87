import {
  ContactSource,
  ContactTree,
  ENTITY_TYPE_CLUSTER,
  ENTITY_TYPE_NAMESPACE,
} from '@acme/plugin-incident-ops-common';
import { parseEntityRef } from '@backstage/catalog-model';

/** What an entity is to a support engineer: cluster, namespace, service, … */
export function entityNoun(kind: string, type?: string): string {
  if (type === ENTITY_TYPE_CLUSTER) return 'cluster';
  if (type === ENTITY_TYPE_NAMESPACE) return 'namespace';
  if (kind.toLowerCase() === 'component') {
    return type === 'service' ? 'service' : 'component';
  }
  return kind.toLowerCase();
}

const nameOf = (ref: string) => {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

/** "namespace livelink-prod" for an entity of the tree's inheritance chain. */
export function chainLabel(tree: ContactTree, ref: string): string {
  const link = tree.chain.find(c => c.entityRef === ref);
  return link
    ? `${entityNoun(link.kind, link.type)} ${nameOf(ref)}`
    : nameOf(ref);
}

/**
 * Where a contact comes from, as the card says it: "inherited from namespace livelink-prod",
 * "set on this service", "owner of this service", "platform-wide", "area lead of Digital
 * Channels (domain of cluster abrc1l)".
 */
export function originLabel(tree: ContactTree, from: ContactSource): string {
  const self = tree.chain[0];
  const noun = self ? entityNoun(self.kind, self.type) : 'entity';
  switch (from.via) {
    case 'support-tier':
    case 'stakeholder-role':
      return 'platform-wide';
    case 'owner':
      return `owner of this ${noun}`;
    case 'domain': {
      const domain =
        tree.domain?.title ??
        nameOf(from.detail ?? tree.domain?.entityRef ?? '');
      return from.inherited
        ? `area lead of ${domain} (domain of ${chainLabel(
            tree,
            from.entityRef,
          )})`
        : `area lead of ${domain}`;
    }
    default:
      return from.inherited
        ? `inherited from ${chainLabel(tree, from.entityRef)}`
        : `set on this ${noun}`;
  }
}

/** A Teams channel given as a URL is linked; a name is only shown. */
export const isUrl = (value: string) => /^https?:\/\//i.test(value);
