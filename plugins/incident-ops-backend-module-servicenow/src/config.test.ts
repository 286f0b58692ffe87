import { ConfigReader } from '@backstage/config';
import { readServiceNowConfig } from './config';

const read = (servicenow: unknown) =>
  readServiceNowConfig(
    new ConfigReader({ incidentOps: { servicenow } } as any),
  );

describe('readServiceNowConfig', () => {
  it('is undefined without the section', () => {
    expect(readServiceNowConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads basic auth with defaults', () => {
    expect(
      read({
        baseUrl: 'https://acme.service-now.com/',
        auth: { type: 'basic', username: 'u', password: 'p' },
      }),
    ).toEqual({
      baseUrl: 'https://acme.service-now.com',
      auth: { type: 'basic', username: 'u', password: 'p' },
      query: undefined,
      pageSize: 500,
      schedule: {
        frequency: { seconds: 15 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 10 },
      },
      reconcileSchedule: {
        frequency: { hours: 1 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 5 },
      },
      runBudgetMs: 20_000,
      reconcile: { maxRemovalShare: 0.2 },
      reporting: { caller: undefined },
    });
  });

  it('reads the caller of reported incidents', () => {
    const c = read({
      baseUrl: 'https://acme.service-now.com',
      auth: { type: 'basic', username: 'u', password: 'p' },
      reporting: { caller: ' backstage.integration ' },
    });
    expect(c?.reporting).toEqual({ caller: 'backstage.integration' });
  });

  it('reads OAuth, the query, page size and schedule', () => {
    const c = read({
      baseUrl: 'https://acme.service-now.com',
      auth: {
        type: 'oauth',
        grantType: 'client_credentials',
        clientId: 'id',
        clientSecret: 's',
      },
      query: 'assignment_group.nameSTARTSWITHAtlas',
      pageSize: 1000,
      schedule: { frequency: { minutes: 1 }, timeout: { minutes: 3 } },
    });
    expect(c?.auth).toEqual({
      type: 'oauth',
      grantType: 'client_credentials',
      clientId: 'id',
      clientSecret: 's',
      username: undefined,
      password: undefined,
    });
    expect(c?.query).toBe('assignment_group.nameSTARTSWITHAtlas');
    expect(c?.pageSize).toBe(1000);
    expect(c?.schedule.frequency).toEqual({ minutes: 1 });
  });

  it('reads the run budget and the reconciliation safety net', () => {
    const c = read({
      baseUrl: 'https://x',
      auth: { type: 'basic', username: 'u', password: 'p' },
      runBudgetSeconds: 10,
      reconcile: { maxRemovalShare: 0.05 },
    });
    expect(c?.runBudgetMs).toBe(10_000);
    expect(c?.reconcile).toEqual({ maxRemovalShare: 0.05 });
  });

  it.each([
    [
      { auth: { type: 'basic', username: 'u', password: 'p' } },
      /incidentOps\.servicenow\.baseUrl/,
    ],
    [
      {
        baseUrl: 'ftp://x',
        auth: { type: 'basic', username: 'u', password: 'p' },
      },
      /incidentOps\.servicenow\.baseUrl: 'ftp:\/\/x' is not an http\(s\) URL/,
    ],
    [{ baseUrl: 'https://x' }, /incidentOps\.servicenow\.auth/],
    [
      { baseUrl: 'https://x', auth: { type: 'kerberos' } },
      /incidentOps\.servicenow\.auth\.type: 'kerberos' is not one of basic, oauth/,
    ],
    [
      { baseUrl: 'https://x', auth: { type: 'basic', username: 'u' } },
      /incidentOps\.servicenow\.auth\.password/,
    ],
    [
      {
        baseUrl: 'https://x',
        auth: {
          type: 'oauth',
          grantType: 'implicit',
          clientId: 'a',
          clientSecret: 'b',
        },
      },
      /auth\.grantType: 'implicit'/,
    ],
    [
      {
        baseUrl: 'https://x',
        auth: {
          type: 'oauth',
          grantType: 'password',
          clientId: 'a',
          clientSecret: 'b',
        },
      },
      /incidentOps\.servicenow\.auth\.username/,
    ],
    [
      {
        baseUrl: 'https://x',
        auth: { type: 'basic', username: 'u', password: 'p' },
        pageSize: 0,
      },
      /pageSize: 0 is not a whole number/,
    ],
    [
      {
        baseUrl: 'https://x',
        auth: { type: 'basic', username: 'u', password: 'p' },
        reconcile: { maxRemovalShare: 1.5 },
      },
      /reconcile\.maxRemovalShare: 1\.5 is not from 0 to 1/,
    ],
    [
      {
        baseUrl: 'https://x',
        auth: { type: 'basic', username: 'u', password: 'p' },
        runBudgetSeconds: 0,
      },
      /runBudgetSeconds: 0 is not from 1 to 3600/,
    ],
  ])('names the bad key: %j', (servicenow, message) => {
    expect(() => read(servicenow)).toThrow(message);
  });
});
