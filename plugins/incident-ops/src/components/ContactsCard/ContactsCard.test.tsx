import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import type { ContactTree } from '@acme/plugin-incident-ops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { ContactsCard } from './ContactsCard';

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'livelink-api' },
  spec: { type: 'service' },
};

const tree = (overrides: Partial<ContactTree> = {}): ContactTree => ({
  entityRef: 'component:default/livelink-api',
  chain: [
    {
      entityRef: 'component:default/livelink-api',
      kind: 'Component',
      type: 'service',
    },
    {
      entityRef: 'resource:default/livelink-prod',
      kind: 'Resource',
      type: 'kubernetes-namespace',
    },
    {
      entityRef: 'resource:default/abrc1l',
      kind: 'Resource',
      type: 'kubernetes-cluster',
    },
  ],
  domain: {
    entityRef: 'domain:default/digital-channels',
    title: 'Digital Channels',
    from: 'resource:default/abrc1l',
  },
  channels: {
    slack: {
      value: '#livelink-prod-incidents',
      from: 'resource:default/livelink-prod',
      inherited: true,
    },
    teams: {
      value: 'https://teams.example.com/abrc1l',
      from: 'resource:default/abrc1l',
      inherited: true,
    },
  },
  levels: [
    {
      level: 'l1',
      title: 'L1 support',
      contacts: [
        {
          roles: ['support-engineer', 'l1'],
          contact: {
            entityRef: 'group:default/atlas-l1-support',
            kind: 'group',
            name: 'Atlas L1 Support',
            email: 'atlas-l1-support@acme.com',
            slackChannel: '#atlas-l1-support',
            members: [
              {
                entityRef: 'user:default/priya.sharma',
                kind: 'user',
                name: 'Priya Sharma',
                email: 'priya.sharma@acme.com',
              },
            ],
          },
          from: {
            entityRef: 'resource:default/abrc1l',
            via: 'annotation',
            detail: 'incident-ops.acme.com/support-engineer',
            inherited: true,
          },
        },
      ],
    },
    { level: 'l2', title: 'L2 platform', contacts: [] },
    { level: 'l3', title: 'L3 / Evangelist', contacts: [] },
    {
      level: 'team-lead',
      title: 'Team lead',
      contacts: [
        {
          roles: ['team-lead'],
          contact: {
            entityRef: 'user:default/olivia.grant',
            kind: 'user',
            name: 'Olivia Grant',
            email: 'olivia.grant@acme.com',
            phone: '+14155550103',
          },
          from: {
            entityRef: 'resource:default/livelink-prod',
            via: 'annotation',
            detail: 'incident-ops.acme.com/team-lead',
            inherited: true,
          },
        },
      ],
    },
    {
      level: 'management',
      title: 'Management',
      contacts: [
        {
          roles: ['area-lead'],
          contact: {
            entityRef: 'group:default/area-leads-digital-channels',
            kind: 'group',
            name: 'Area Leads - Digital Channels',
            members: [],
          },
          from: {
            entityRef: 'resource:default/abrc1l',
            via: 'domain',
            detail: 'domain:default/digital-channels',
            inherited: true,
          },
        },
      ],
    },
    {
      level: 'vendor',
      title: 'Vendor',
      contacts: [
        {
          roles: ['vendor'],
          contact: {
            entityRef: 'group:default/tanzu-support',
            kind: 'group',
            name: 'VMware Tanzu Support',
            phone: '+18005550142',
          },
          from: {
            entityRef: 'group:default/tanzu-support',
            via: 'stakeholder-role',
            inherited: false,
          },
        },
      ],
    },
  ],
  gaps: [],
  ...overrides,
});

function renderCard(api: Partial<IncidentOpsApi>, entity: Entity = service) {
  return renderInTestApp(
    <TestApiProvider apis={[[incidentOpsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ContactsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ContactsCard', () => {
  it('shows each level with names, links to reach them and where each comes from', async () => {
    const getContacts = jest.fn().mockResolvedValue(tree());
    await renderCard({ getContacts });
    expect(getContacts).toHaveBeenCalledWith('component:default/livelink-api');

    const teamLead = await screen.findByRole('region', { name: 'Team lead' });
    expect(within(teamLead).getByText('Olivia Grant')).toBeInTheDocument();
    expect(
      within(teamLead).getByText('inherited from namespace livelink-prod'),
    ).toBeInTheDocument();
    expect(
      within(teamLead).getByRole('link', {
        name: 'Call Olivia Grant: +14155550103',
      }),
    ).toHaveAttribute('href', 'tel:+14155550103');
    expect(
      within(teamLead).getByRole('link', {
        name: 'Email Olivia Grant: olivia.grant@acme.com',
      }),
    ).toHaveAttribute('href', 'mailto:olivia.grant@acme.com');

    const l1 = screen.getByRole('region', { name: 'L1 support' });
    expect(within(l1).getByText('Support engineer')).toBeInTheDocument();
    expect(within(l1).getByText('L1 tier')).toBeInTheDocument();
    expect(
      within(l1).getByText('inherited from cluster abrc1l'),
    ).toBeInTheDocument();
    expect(within(l1).getByText('#atlas-l1-support')).toBeInTheDocument();

    expect(
      screen.getByText(
        'area lead of Digital Channels (domain of cluster abrc1l)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('platform-wide')).toBeInTheDocument();
    // the entity's own channels, inherited
    expect(screen.getByText('#livelink-prod-incidents')).toBeInTheDocument();
    expect(
      screen.getByText('https://teams.example.com/abrc1l').closest('a'),
    ).toHaveAttribute('href', 'https://teams.example.com/abrc1l');
    expect(
      screen.getByText(
        'Inherits from namespace livelink-prod, then cluster abrc1l',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("lists a small group's members at once and a larger one's on request", async () => {
    const t = tree();
    const l1 = t.levels[0].contacts[0].contact;
    const member = (name: string) => ({
      entityRef: `user:default/${name}`,
      kind: 'user' as const,
      name,
    });
    l1.members = [
      member('Priya Sharma'),
      member('Tom Becker'),
      member('Lucia Fernandez'),
    ];
    t.levels[4].contacts[0].contact.members = [
      { ...member('Jane Doe'), phone: '+14155550111' },
    ];
    await renderCard({ getContacts: jest.fn().mockResolvedValue(t) });

    // the area leads: one member, shown with the phone for the P1 SMS
    expect(
      await screen.findByRole('list', {
        name: 'Members of Area Leads - Digital Channels',
      }),
    ).toHaveTextContent('Jane Doe');
    expect(
      screen.getByRole('link', { name: 'Call Jane Doe: +14155550111' }),
    ).toBeInTheDocument();

    const toggle = screen.getByRole('button', { name: 'Show 3 members' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('Tom Becker')).not.toBeInTheDocument();
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByRole('list', { name: 'Members of Atlas L1 Support' }),
    ).toHaveTextContent('Tom Becker');
  });

  it('marks the roles nobody holds, in their level and in a summary', async () => {
    const namespace: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'monitoring' },
      spec: { type: 'kubernetes-namespace' },
    };
    const t = tree({
      entityRef: 'resource:default/monitoring',
      chain: [
        {
          entityRef: 'resource:default/monitoring',
          kind: 'Resource',
          type: 'kubernetes-namespace',
        },
        {
          entityRef: 'resource:default/rtg',
          kind: 'Resource',
          type: 'kubernetes-cluster',
        },
      ],
      gaps: ['vendor-liaison'],
    });
    await renderCard(
      { getContacts: jest.fn().mockResolvedValue(t) },
      namespace,
    );
    expect(
      await screen.findByText(
        'One role has nobody for this namespace: Vendor liaison.',
      ),
    ).toBeInTheDocument();
    const vendor = screen.getByRole('region', { name: 'Vendor' });
    expect(vendor).toHaveTextContent(
      'No vendor liaison — set incident-ops.acme.com/vendor-liaison on this namespace or on cluster rtg',
    );
  });

  it('says so when nobody is found', async () => {
    await renderCard({
      getContacts: jest.fn().mockResolvedValue(
        tree({
          levels: tree().levels.map(l => ({ ...l, contacts: [] })),
        }),
      ),
    });
    expect(
      await screen.findByText(/Nobody to contact was found for this component/),
    ).toBeInTheDocument();
  });

  it('shows the error when the contacts cannot be loaded', async () => {
    await renderCard({
      getContacts: jest.fn().mockRejectedValue(new Error('catalog is down')),
    });
    await waitFor(() =>
      expect(screen.getAllByText(/catalog is down/).length).toBeGreaterThan(0),
    );
  });

  it('shows progress while loading', async () => {
    await renderCard({ getContacts: () => new Promise(() => {}) });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading contacts' }),
    ).toBeInTheDocument();
  });
});
