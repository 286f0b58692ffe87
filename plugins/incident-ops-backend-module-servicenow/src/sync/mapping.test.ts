import {
  formatServiceNowDate,
  htmlToText,
  mapIncident,
  mapKnowledgeArticle,
  parseServiceNowDate,
} from './mapping';

const baseUrl = 'https://acme.service-now.test';
const dv = (value: string, display_value = value) => ({ value, display_value });

function record(overrides: Record<string, unknown> = {}) {
  return {
    sys_id: dv('0123456789abcdef0123456789abcdef'),
    number: dv('INC13076932'),
    short_description: dv('Add egress NFS access for livelink-prod'),
    description: dv('Pods in livelink-prod need NFS to 10.1.2.3:2049'),
    priority: dv('3', '3 - Moderate'),
    impact: dv('2', '2 - Medium'),
    urgency: dv('2', '2 - Medium'),
    state: dv('3', 'On Hold'),
    hold_reason: dv('1', 'Awaiting Caller'),
    category: dv('network', 'Network'),
    subcategory: dv('egress', 'Egress'),
    assignment_group: dv('g1', 'Atlas-L1-Support'),
    assigned_to: dv('', ''),
    cmdb_ci: dv('ci1', 'abrc1l:livelink-prod'),
    caller_id: dv('u9', 'Ana Lima'),
    opened_at: dv('2026-11-24 08:15:00', '11/24/2026 09:15:00 AM'),
    resolved_at: dv('', ''),
    closed_at: dv('', ''),
    sys_updated_on: dv('2026-11-24 09:00:05'),
    sys_mod_count: dv('4'),
    ...overrides,
  };
}

describe('mapIncident', () => {
  it('maps a display_value=all record', () => {
    expect(mapIncident(record(), baseUrl)).toEqual({
      id: '0123456789abcdef0123456789abcdef',
      number: 'INC13076932',
      shortDescription: 'Add egress NFS access for livelink-prod',
      description: 'Pods in livelink-prod need NFS to 10.1.2.3:2049',
      priority: 'P3',
      sourcePriority: '3',
      impact: '2',
      urgency: '2',
      status: 'awaiting-customer',
      sourceState: '3',
      holdReason: '1',
      category: 'network',
      subcategory: 'egress',
      assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
      assignedTo: undefined,
      configurationItem: { id: 'ci1', name: 'abrc1l:livelink-prod' },
      caller: { id: 'u9', name: 'Ana Lima' },
      openedAt: '2026-11-24T08:15:00.000Z',
      resolvedAt: undefined,
      closedAt: undefined,
      sourceUpdatedAt: '2026-11-24T09:00:05.000Z',
      sourceVersion: 4,
      url: `${baseUrl}/nav_to.do?uri=incident.do%3Fsys_id%3D0123456789abcdef0123456789abcdef`,
    });
  });

  it('maps plain string records too', () => {
    const plain = Object.fromEntries(
      Object.entries(record()).map(([k, v]) => [k, (v as any).value]),
    );
    const mapped = mapIncident(plain, baseUrl);
    expect(mapped.priority).toBe('P3');
    expect(mapped.configurationItem).toEqual({ id: 'ci1', name: undefined });
  });

  it('maps Planning (5) to P4 and Canceled to closed', () => {
    const m = mapIncident(
      record({ priority: dv('5'), state: dv('8'), hold_reason: dv('') }),
      baseUrl,
    );
    expect(m.priority).toBe('P4');
    expect(m.status).toBe('closed');
  });

  it.each([
    [{ sys_id: dv('') }, "sys_id '' is missing or malformed"],
    [{ sys_id: undefined }, "sys_id '' is missing or malformed"],
    [{ number: dv('') }, 'number is missing'],
    [
      { priority: dv('9'), impact: dv(''), urgency: dv('') },
      "priority '9' is not 1-5 and impact/urgency do not give one",
    ],
    [{ state: dv('42') }, "state '42' is unknown"],
    [
      { opened_at: dv('not-a-date') },
      "opened_at 'not-a-date' is not a date-time",
    ],
    [{ opened_at: dv('') }, 'opened_at is missing'],
    [
      { sys_updated_on: dv('2026-13-45 99:00:00') },
      "sys_updated_on '2026-13-45 99:00:00' is not a date-time",
    ],
    [{ sys_mod_count: dv('-1') }, "sys_mod_count '-1' is not a count"],
    [
      { cmdb_ci: dv('deadbeef', '') },
      "cmdb_ci 'deadbeef' resolves to no configuration item",
    ],
    [
      { opened_at: dv('2026-02-30 10:00:00') },
      "opened_at '2026-02-30 10:00:00' is not a date-time",
    ],
    [
      { opened_at: dv('0000-01-01 00:00:00') },
      "opened_at '0000-01-01 00:00:00' is not a date-time",
    ],
    [{ sys_mod_count: dv('1e30') }, "sys_mod_count '1e30' is not a count"],
    [{ description: { value: ['a'] } }, 'description is not a text value'],
    [{ category: [1] }, 'category is not a text value'],
  ])('quarantines %j: %s', (overrides, reason) => {
    expect(() => mapIncident(record(overrides), baseUrl)).toThrow(reason);
  });
});

describe('ServiceNow dates', () => {
  it('round-trips UTC date-times', () => {
    expect(parseServiceNowDate('2026-01-19 04:52:04', 'x')).toBe(
      '2026-01-19T04:52:04.000Z',
    );
    expect(formatServiceNowDate(new Date('2026-01-19T04:52:04.789Z'))).toBe(
      '2026-01-19 04:52:04',
    );
    expect(parseServiceNowDate('', 'x')).toBeUndefined();
  });
});

describe('mapKnowledgeArticle', () => {
  const kb = (overrides: Record<string, unknown> = {}) => ({
    sys_id: dv('fedcba9876543210fedcba9876543210'),
    number: dv('KB0010001'),
    short_description: dv(
      'How to Request Egress Access for livelink-* Namespaces',
    ),
    text: dv(
      '<h2>Steps</h2><p>Open a ticket &amp; name the <b>namespace</b>.</p><ul><li>FQDN</li><li>port&nbsp;443</li></ul>',
    ),
    kb_category: dv('c1', 'Networking'),
    kb_knowledge_base: dv('b1', 'Tanzu Atlas'),
    workflow_state: dv('published', 'Published'),
    valid_to: dv('2100-01-01'),
    sys_view_count: dv('42'),
    sys_updated_on: dv('2026-11-01 12:00:00'),
    sys_mod_count: dv('3'),
    ...overrides,
  });

  it('maps an article, with its body as plain text', () => {
    expect(mapKnowledgeArticle(kb(), baseUrl)).toEqual({
      id: 'fedcba9876543210fedcba9876543210',
      number: 'KB0010001',
      title: 'How to Request Egress Access for livelink-* Namespaces',
      text: 'Steps\nOpen a ticket & name the namespace.\nFQDN\nport 443',
      category: 'Networking',
      knowledgeBase: 'Tanzu Atlas',
      workflowState: 'published',
      validTo: '2100-01-01',
      viewCount: 42,
      sourceUpdatedAt: '2026-11-01T12:00:00.000Z',
      sourceVersion: 3,
      url: `${baseUrl}/kb_view.do?sysparm_article=KB0010001`,
    });
  });

  it('takes its meta keywords as tags', () => {
    expect(
      mapKnowledgeArticle(
        kb({ meta: dv('egress, firewall , ,networkpolicy') }),
        baseUrl,
      ).tags,
    ).toEqual(['egress', 'firewall', 'networkpolicy']);
    expect(
      mapKnowledgeArticle(kb({ meta: dv('') }), baseUrl).tags,
    ).toBeUndefined();
  });

  it.each([
    [{ sys_id: dv('nope') }, "sys_id 'nope' is missing or malformed"],
    [{ number: dv('') }, 'number is missing'],
    [
      { sys_updated_on: dv('yesterday') },
      "sys_updated_on 'yesterday' is not a date-time",
    ],
  ])('quarantines %j', (overrides, reason) => {
    expect(() => mapKnowledgeArticle(kb(overrides), baseUrl)).toThrow(reason);
  });
});

describe('htmlToText', () => {
  it('drops scripts and tags, decodes entities, keeps paragraphs apart', () => {
    expect(
      htmlToText('<script>x()</script><p>a&lt;b &#65;&#x42;</p><p>c<br/>d</p>'),
    ).toBe('a<b AB\nc\nd');
  });

  it('replaces NUL and entities past Unicode instead of throwing', () => {
    expect(htmlToText('<p>a&#1114112;b&#0;c&#x110000;d</p>')).toBe(
      'a\uFFFDb\uFFFDc\uFFFDd',
    );
  });
});
