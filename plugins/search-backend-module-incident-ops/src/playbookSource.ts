import type { Playbook } from '@acme/plugin-incident-ops-common';
import type { IndexableDocument } from '@backstage/plugin-search-common';
import type { IncidentOpsSearchSource } from './IncidentOpsCollatorFactory';

/** A playbook in the search index. @public */
export interface PlaybookSearchDocument extends IndexableDocument {
  playbookId: string;
  /** The ticket types that run it (the configured mapping). */
  ticketTypes: string[];
  /** Step titles, in order. */
  steps: string[];
}

/** Where a search hit leads: the playbook's page in the app. */
export function playbookLocation(id: string): string {
  return `/incident-ops/playbooks/${encodeURIComponent(id)}`;
}

/**
 * A playbook as searchable text: its summary, then each step's title, instructions, checks
 * and template titles. Placeholders read as the field they stand for (`<namespace>`).
 */
export function playbookText(playbook: Playbook): string {
  const plain = (text: string) =>
    text.replace(
      /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\|[^}]*)?\}\}/g,
      (_m, name: string) => `<${name}>`,
    );
  const lines = [playbook.summary];
  playbook.steps.forEach((step, i) => {
    lines.push(`${i + 1}. ${step.title} (${step.kind})`);
    if (step.instructions) lines.push(step.instructions);
    lines.push(...step.checks.map(c => `- ${c}`));
    lines.push(...step.templates.map(t => `Template: ${t.title}`));
  });
  return plain(lines.join('\n'));
}

/** Every loaded playbook, as `incident-ops-playbook` documents. @public */
export const playbookSearchSource: IncidentOpsSearchSource = {
  type: 'incident-ops-playbook',
  async *read(get) {
    const list: {
      items: Array<{ id: string }>;
      mapping: Record<string, string>;
    } = await get('/playbooks');
    for (const { id } of list.items) {
      const playbook: Playbook = await get(
        `/playbooks/${encodeURIComponent(id)}`,
      );
      const document: PlaybookSearchDocument = {
        title: `${playbook.title} playbook`,
        text: playbookText(playbook),
        location: playbookLocation(id),
        playbookId: id,
        ticketTypes: Object.entries(list.mapping)
          .filter(([, mapped]) => mapped === id)
          .map(([type]) => type),
        steps: playbook.steps.map(s => s.title),
      };
      yield document;
    }
  },
};
