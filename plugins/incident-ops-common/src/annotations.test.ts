import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  isIncidentOpsAvailable,
} from './annotations';

const entity = (e: Partial<Entity> & { kind: string }): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  metadata: { name: 'x' },
  ...e,
});

describe('isIncidentOpsAvailable', () => {
  it('is true for an entity that names a CMDB CI', () => {
    expect(
      isIncidentOpsAvailable(
        entity({
          kind: 'Component',
          metadata: {
            name: 'a',
            annotations: { [ANNOTATION_SERVICENOW_CMDB_CI]: 'livelink-portal' },
          },
        }),
      ),
    ).toBe(true);
  });

  it('is true for clusters, namespaces and what depends on a resource', () => {
    expect(
      isIncidentOpsAvailable(
        entity({ kind: 'Resource', spec: { type: 'kubernetes-cluster' } }),
      ),
    ).toBe(true);
    expect(
      isIncidentOpsAvailable(
        entity({ kind: 'Resource', spec: { type: 'kubernetes-namespace' } }),
      ),
    ).toBe(true);
    expect(
      isIncidentOpsAvailable(
        entity({
          kind: 'Component',
          relations: [
            { type: 'dependsOn', targetRef: 'resource:default/livelink-prod' },
          ],
        }),
      ),
    ).toBe(true);
  });

  it('is false for an unrelated component', () => {
    expect(
      isIncidentOpsAvailable(
        entity({ kind: 'Component', spec: { type: 'website' } }),
      ),
    ).toBe(false);
  });
});
