import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  OwnershipCell,
  OwnershipMatrix,
} from '@acme/plugin-incident-ops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IncidentOpsApi, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { OwnershipMatrixPage } from './OwnershipMatrixPage';
import { matrixCsv } from './csv';

const roles = [
  'support-engineer',
  'evangelist',
  'team-lead',
  'kube-admin',
  'vendor-liaison',
] as const;

const cells = (
  from: string,
  inherited: boolean,
  overrides: Partial<
    Record<(typeof roles)[number], Partial<OwnershipCell>>
  > = {},
): OwnershipCell[] =>
  roles.map(role => ({
    role,
    holders: [`user:default/${role}`],
    from,
    inherited,
    gap: false,
    ...overrides[role],
  }));

const gap = { holders: [], from: undefined, inherited: false, gap: true };

const matrix: OwnershipMatrix = {
  roles: [...roles],
  rows: [
    {
      entityRef: 'resource:default/abrc1l',
      name: 'abrc1l',
      type: 'cluster',
      domain: 'digital-channels',
      cells: cells('resource:default/abrc1l', false),
    },
    {
      entityRef: 'resource:default/livelink-prod',
      name: 'livelink-prod',
      type: 'namespace',
      cluster: 'resource:default/abrc1l',
      domain: 'digital-channels',
      cells: cells('resource:default/abrc1l', true, {
        'team-lead': {
          holders: ['user:default/olivia.grant'],
          from: 'resource:default/livelink-prod',
          inherited: false,
        },
      }),
    },
    {
      entityRef: 'resource:default/mecc',
      name: 'mecc',
      type: 'cluster',
      domain: 'data-and-ai',
      cells: cells('resource:default/mecc', false),
    },
    {
      entityRef: 'resource:default/rtg',
      name: 'rtg',
      type: 'cluster',
      domain: 'digital-channels',
      cells: cells('resource:default/rtg', false, { 'vendor-liaison': gap }),
    },
    {
      entityRef: 'resource:default/monitoring',
      name: 'monitoring',
      type: 'namespace',
      cluster: 'resource:default/rtg',
      domain: 'digital-channels',
      cells: cells('resource:default/rtg', true, {
        'vendor-liaison': gap,
        'kube-admin': {
          holders: ['user:default/ghost'],
          from: 'resource:default/monitoring',
          inherited: false,
          gap: true,
        },
      }),
    },
  ],
  people: [
    ...roles.map(role => ({
      entityRef: `user:default/${role}`,
      kind: 'user' as const,
      name: `Holder of ${role}`,
    })),
    {
      entityRef: 'user:default/olivia.grant',
      kind: 'user',
      name: 'Olivia Grant',
    },
    {
      entityRef: 'user:default/ghost',
      kind: 'user',
      name: 'user:default/ghost',
      missing: true,
    },
  ],
  domains: [
    { name: 'data-and-ai', title: 'Data & AI' },
    { name: 'digital-channels', title: 'Digital Channels' },
  ],
  gaps: {
    total: 3,
    byRole: roles.map(role => ({
      role,
      count: { 'vendor-liaison': 2, 'kube-admin': 1 }[role as string] ?? 0,
    })),
  },
};

function renderPage(api: Partial<IncidentOpsApi>, route = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[incidentOpsApiRef, api]]}>
      <OwnershipMatrixPage />
    </TestApiProvider>,
    {
      routeEntries: [route],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const row = (name: string) => screen.getByTestId(`matrix-row-${name}`);
const columnOf = (role: string) =>
  screen.getAllByRole('columnheader').findIndex(h => h.textContent === role);
const cellOf = (name: string, role: string) =>
  [
    within(row(name)).getByRole('rowheader'),
    ...within(row(name)).getAllByRole('cell'),
  ][columnOf(role)];

describe('OwnershipMatrixPage', () => {
  it('shows clusters and namespaces × the five roles, inherited cells marked', async () => {
    await renderPage({
      getOwnershipMatrix: jest.fn().mockResolvedValue(matrix),
    });
    const table = await screen.findByRole('table', {
      name: 'Role accountability matrix',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Cluster / namespace',
      'Domain',
      'Support Engineer',
      'Evangelist',
      'Team Lead',
      'Kube-Admin',
      'Vendor Liaison',
    ]);
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map(h => h.textContent),
    ).toEqual([
      'abrc1lcluster',
      'livelink-prodnamespace on abrc1l',
      'mecccluster',
      'rtgcluster',
      'monitoringnamespace on rtg',
    ]);
    expect(cellOf('livelink-prod', 'Evangelist')).toHaveTextContent(
      'Holder of evangelistinherited from abrc1l',
    );
    expect(cellOf('livelink-prod', 'Team Lead')).toHaveTextContent(
      'Olivia Grantset on namespace',
    );
    expect(cellOf('livelink-prod', 'Domain')).toHaveTextContent(
      'Digital Channels',
    );
  });

  it('highlights and counts the gaps', async () => {
    await renderPage({
      getOwnershipMatrix: jest.fn().mockResolvedValue(matrix),
    });
    expect(
      await screen.findByText(
        /across 5 clusters and namespaces: Kube-Admin 1, Vendor Liaison 2/,
      ),
    ).toBeInTheDocument();
    const rtg = cellOf('rtg', 'Vendor Liaison');
    expect(rtg).toHaveAttribute('data-gap', 'true');
    expect(rtg).toHaveAccessibleName(
      'Vendor Liaison of rtg: gap, nobody holds it',
    );
    // named but not in the catalog: a gap that shows the name
    const ghost = cellOf('monitoring', 'Kube-Admin');
    expect(ghost).toHaveAttribute('data-gap', 'true');
    expect(ghost).toHaveTextContent('user:default/ghost (not in the catalog)');
    expect(within(screen.getByRole('table')).getAllByText('Gap')).toHaveLength(
      3,
    );
    expect(rtg).toHaveAttribute(
      'title',
      'Set incident-ops.acme.com/vendor-liaison on rtg',
    );
    expect(cellOf('monitoring', 'Vendor Liaison')).toHaveAttribute(
      'title',
      'Set incident-ops.acme.com/vendor-liaison on monitoring or its cluster rtg',
    );
  });

  it('filters by cluster, by domain and to rows with gaps', async () => {
    await renderPage({
      getOwnershipMatrix: jest.fn().mockResolvedValue(matrix),
    });
    await screen.findByRole('table', { name: 'Role accountability matrix' });

    fireEvent.mouseDown(screen.getByRole('button', { name: /Cluster/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'rtg' }));
    expect(screen.getByText('2 of 5 rows, 3 gaps')).toBeInTheDocument();
    expect(screen.queryByTestId('matrix-row-abrc1l')).not.toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('button', { name: /Cluster/ }));
    fireEvent.click(
      await screen.findByRole('option', { name: 'All clusters' }),
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: /Domain/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Data & AI' }));
    expect(screen.getByText('1 of 5 rows, 0 gaps')).toBeInTheDocument();
    expect(row('mecc')).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('button', { name: /Domain/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'All domains' }));
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Only rows with gaps' }),
    );
    expect(screen.getByText('2 of 5 rows, 3 gaps')).toBeInTheDocument();
  });

  it('takes its filters from the address, so a filtered view can be shared', async () => {
    await renderPage(
      { getOwnershipMatrix: jest.fn().mockResolvedValue(matrix) },
      '/?cluster=resource%3Adefault%2Fabrc1l',
    );
    expect(await screen.findByText('2 of 5 rows, 0 gaps')).toBeInTheDocument();
  });

  it('exports the rows shown as CSV', async () => {
    const createObjectURL = jest.fn(() => 'blob:matrix');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function clickDownload(this: HTMLAnchorElement) {
        expect(this.download).toBe('ownership-matrix.csv');
        expect(this.href).toBe('blob:matrix');
      });
    await renderPage({
      getOwnershipMatrix: jest.fn().mockResolvedValue(matrix),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:matrix');
    click.mockRestore();
  });

  it('shows the error when the matrix cannot be loaded', async () => {
    await renderPage({
      getOwnershipMatrix: jest
        .fn()
        .mockRejectedValue(new Error('catalog down')),
    });
    await waitFor(() =>
      expect(screen.getAllByText(/catalog down/).length).toBeGreaterThan(0),
    );
  });

  it('says so when the catalog has no clusters', async () => {
    await renderPage({
      getOwnershipMatrix: jest
        .fn()
        .mockResolvedValue({ ...matrix, rows: [], people: [] }),
    });
    expect(
      await screen.findByText('No clusters or namespaces in the catalog'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderPage({ getOwnershipMatrix: () => new Promise(() => {}) });
    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading the ownership matrix',
      }),
    ).toBeInTheDocument();
  });
});

describe('matrixCsv', () => {
  it('writes one line per row with holders and where each role comes from', () => {
    const csv = matrixCsv(matrix, matrix.rows.slice(1, 2)).split('\r\n');
    expect(csv[0]).toBe(
      'type,cluster,name,entity_ref,domain,Support Engineer,Support Engineer source,Evangelist,Evangelist source,Team Lead,Team Lead source,Kube-Admin,Kube-Admin source,Vendor Liaison,Vendor Liaison source',
    );
    expect(csv[1]).toBe(
      'namespace,abrc1l,livelink-prod,resource:default/livelink-prod,digital-channels,Holder of support-engineer,inherited from abrc1l,Holder of evangelist,inherited from abrc1l,Olivia Grant,set,Holder of kube-admin,inherited from abrc1l,Holder of vendor-liaison,inherited from abrc1l',
    );
    expect(csv[2]).toBe('');
  });

  it('quotes fields with commas and quotes, and marks gaps', () => {
    const m: OwnershipMatrix = {
      ...matrix,
      people: [
        {
          entityRef: 'user:default/x',
          kind: 'user',
          name: 'Doe, "JD" Jane',
        },
      ],
    };
    const line = matrixCsv(m, [
      {
        ...matrix.rows[3],
        cells: cells('resource:default/rtg', false, {
          'support-engineer': { holders: ['user:default/x'] },
          'vendor-liaison': gap,
        }),
      },
    ]).split('\r\n')[1];
    expect(line).toContain(',"Doe, ""JD"" Jane",set,');
    expect(line.endsWith(',,gap')).toBe(true);
  });
});
