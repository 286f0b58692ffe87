import fs from 'fs';
import {
  collect,
  repositoryFolder,
  startIncidentOps,
} from './__testUtils__/incidentOpsBackend';
import { PlaybookSearchDocument, playbookSearchSource } from './playbookSource';

jest.setTimeout(60_000);

describe('playbooks in Backstage search', () => {
  it('collates every playbook through the API, with its steps and ticket types', async () => {
    const { factory } = await startIncidentOps({
      source: playbookSearchSource,
    });
    expect(factory.type).toBe('incident-ops-playbook');
    expect(factory.visibilityPermission.name).toBe(
      'incident-ops.incident.read',
    );

    const documents: PlaybookSearchDocument[] = await collect(factory);

    // every playbook file (named by its id), in name order
    const files = fs.readdirSync(repositoryFolder('playbooks')).sort();
    expect(documents.map(d => d.playbookId)).toEqual(
      files.filter(f => /\.ya?ml$/.test(f)).map(f => f.replace(/\.ya?ml$/, '')),
    );
    const egress = documents.find(d => d.playbookId === 'egress-access')!;
    expect(egress).toMatchObject({
      title: 'Egress Access playbook',
      location: '/incident-ops/playbooks/egress-access',
      ticketTypes: ['egress'],
      steps: [
        'Validate the namespace and the request',
        'Fill the firewall rule and the NetworkPolicy',
        'Verify the connection from the namespace',
      ],
    });
    expect(egress.text).toContain(
      '1. Validate the namespace and the request (check)',
    );
    expect(egress.text).toContain('Template: Firewall rule request');
    // placeholders read as the field they stand for
    expect(egress.text).toContain(
      'Confirm that <namespace> exists on <cluster>',
    );
    expect(egress.text).not.toContain('{{');
    expect(
      documents.find(d => d.playbookId === 'fluxcd-gitops')!.ticketTypes,
    ).toEqual(['gitops']);
  });
});
