import { mockApis } from '@backstage/frontend-test-utils';
import { signInOptions } from './providers';

const options = (data: object) => signInOptions(mockApis.config({ data }));

describe('signInOptions', () => {
  it('offers the guest and the development user in development', () => {
    expect(
      options({
        auth: {
          environment: 'development',
          providers: {
            'development-user': {
              development: { userEntityRef: 'user:default/priya.sharma' },
            },
          },
        },
      }),
    ).toEqual(['guest', 'development-user']);
    // auth.environment defaults to development, as in the backend
    expect(options({})).toEqual(['guest']);
  });

  it('offers only OIDC in production, whatever else is configured', () => {
    expect(
      options({
        auth: {
          environment: 'production',
          providers: {
            oidc: { production: { clientId: 'backstage' } },
            'development-user': {
              development: { userEntityRef: 'user:default/priya.sharma' },
            },
          },
        },
      }),
    ).toEqual(['oidc']);
  });

  it('offers GitHub or Microsoft when configured instead', () => {
    expect(
      options({
        auth: {
          environment: 'production',
          providers: { microsoft: { production: { clientId: 'app-id' } } },
        },
      }),
    ).toEqual(['microsoft']);
  });

  it('offers nothing in production without a provider for it', () => {
    expect(
      options({
        auth: {
          environment: 'production',
          providers: { oidc: { development: { clientId: 'backstage' } } },
        },
      }),
    ).toEqual([]);
  });
});
