import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { startIncidentOpsBackend } from '../../incident-ops-backend/src/__testUtils__/testBackend';
import { readPlaybookLibrary } from '../../incident-ops-backend/src/playbooks/playbookLibrary';
import { IncidentOpsCollatorFactory } from './IncidentOpsCollatorFactory';
import { PlaybookSearchDocument, playbookSearchSource } from './playbookSource';

jest.setTimeout(60_000);

describe('playbooks in Backstage search', () => {
  it('collates every playbook through the API, with its steps and ticket types', async () => {
    const { server } = await startIncidentOpsBackend({ config: {} });
    const factory = new IncidentOpsCollatorFactory({
      source: playbookSearchSource,
      discovery: {
        getBaseUrl: async () =>
          `http://localhost:${server.port()}/api/incident-ops`,
        getExternalBaseUrl: async () => '',
      },
      auth: mockServices.auth(),
    });
    expect(factory.type).toBe('incident-ops-playbook');
    expect(factory.visibilityPermission.name).toBe(
      'incident-ops.incident.read',
    );

    const documents: PlaybookSearchDocument[] = [];
    for await (const d of await factory.getCollator()) documents.push(d);

    const library = await readPlaybookLibrary(new ConfigReader({}));
    expect(documents.map(d => d.playbookId)).toEqual(
      library.list().map(l => l.playbook.id),
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
