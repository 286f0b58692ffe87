import { normalizeTerm, stem, tokenize } from './tokenize';

describe('tokenize', () => {
  it('keeps namespaces whole and yields their parts', () => {
    expect(tokenize('Egress for livelink-prod')).toEqual([
      'egress',
      'livelink-prod',
      'livelink',
      'prod',
    ]);
  });

  it('keeps host names, host:port and ports, and their labels', () => {
    const terms = tokenize('runners to registry.gitlab.acme.com:5050');
    expect(terms).toEqual([
      'runner',
      'registry.gitlab.acme.com:5050',
      'registry.gitlab.acme.com',
      'registry',
      'gitlab',
      'acme',
      'com',
      '5050',
    ]);
  });

  it('keeps IP addresses and CIDRs whole, with the prefix length', () => {
    expect(tokenize('to 10.42.16.0/24 and 10.0.0.7')).toEqual([
      '10.42.16.0/24',
      '10.42.16.0',
      '24',
      '10.0.0.7',
    ]);
  });

  it('splits CamelCase resource kinds and states, keeping the whole word', () => {
    expect(tokenize('HelmRelease ImagePullBackOff OOMKilled')).toEqual([
      'helmrelease',
      'helm',
      'release',
      'imagepullbackoff',
      'image',
      'pull',
      'back',
      'off',
      'oomkill',
      'kill',
    ]);
  });

  it('expands abbreviations and drops stop words', () => {
    expect(tokenize('pls give me k8s ns access to the repo')).toEqual([
      'give',
      'kubernete',
      'namespace',
      'access',
      'repository',
    ]);
    expect(tokenize('whitelist fw rule')).toEqual([
      'allowlist',
      'firewall',
      'rule',
    ]);
  });

  it('keeps error codes whole and in parts', () => {
    expect(tokenize('ORA-12170: TNS:Connect timeout')).toEqual([
      'ora-12170',
      'ora',
      '12170',
      'tns:connect',
      'tns',
      'connect',
      'timeout',
    ]);
  });

  it('ignores punctuation around words and markup', () => {
    expect(tokenize('`livelink-prod`, **egress**.')).toEqual(
      tokenize('livelink-prod egress'),
    );
  });
});

describe('stem and normalizeTerm', () => {
  it('strips plurals, -ing and -ed lightly', () => {
    expect(
      ['pods', 'policies', 'failed', 'failing', 'access', 'status', 'dns'].map(
        stem,
      ),
    ).toEqual(['pod', 'policy', 'fail', 'fail', 'access', 'status', 'dns']);
  });

  it('leaves compounds and numbers alone', () => {
    expect(stem('livelink-prod')).toBe('livelink-prod');
    expect(stem('5050')).toBe('5050');
  });

  it('maps spellings to one term', () => {
    expect(normalizeTerm('Namespaces')).toBe(normalizeTerm('ns'));
    expect(normalizeTerm('certs')).toBe(normalizeTerm('certificate'));
    expect(normalizeTerm('FluxCD')).toBe('flux');
  });
});
