import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultNotificationService } from '@backstage/plugin-notifications-node';
import type { IncidentNotification } from '@acme/plugin-incident-ops-node';
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { BackstageNotifier } from './BackstageNotifier';
import { EmailNotifier } from './EmailNotifier';
import {
  DEFAULT_WEBHOOK,
  SlackNotifier,
  SmsNotifier,
  TeamsNotifier,
} from './WebhookNotifiers';

const notification: IncidentNotification = {
  key: 'notify:decision:servicenow:abc:p1-management-alert:incident>email',
  to: [],
  message: {
    title: 'P1 INC13070002: Karpenter GPU node failure',
    body: 'INC13070002 (P1): Karpenter GPU node failure\nStatus: Escalated, tier L3',
    link: 'https://acme.service-now.com/incident.do?sys_id=abc',
    severity: 'critical',
    incidentNumber: 'INC13070002',
    event: 'management-alert',
  },
};

/** A real HTTP receiver on loopback: records requests, answers with `status()`. */
async function receiver(status: () => number = () => 200) {
  const requests: Array<{
    path: string;
    headers: IncomingMessage['headers'];
    body: any;
  }> = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', c => {
      data += c;
    });
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        body: data ? JSON.parse(data) : undefined,
      });
      const code = status();
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(code < 300 ? '{"ok":true}' : '{"error":"gateway down"}');
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

describe('email over SMTP', () => {
  let server: SMTPServer;
  let port: number;
  const received: Array<{ from: string; to: string[]; data: string }> = [];
  const logins: string[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'incident-ops' && auth.password === 's3cret') {
          logins.push(auth.username);
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', c => {
          data += c;
        });
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom
              ? session.envelope.mailFrom.address
              : '',
            to: session.envelope.rcptTo.map(r => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>(r => server.close(() => r())));

  const config = (pass: string) =>
    new ConfigReader({
      incidentOps: {
        notifications: {
          email: {
            host: '127.0.0.1',
            port,
            secure: false,
            auth: { user: 'incident-ops', pass },
            from: 'Incident Ops <incident-ops@acme.com>',
          },
        },
      },
    });

  it('sends one message to every address, with a Message-ID from the delivery key', async () => {
    const email = EmailNotifier.fromConfig(config('s3cret'))!;
    expect(
      email.address({ name: 'Sarah', email: 'sarah.mitchell@acme.com' }),
    ).toBe('sarah.mitchell@acme.com');
    expect(email.address({ name: 'no email' })).toBeUndefined();
    await email.send({
      ...notification,
      to: ['area-leads-digital-channels@acme.com', 'vendor-managers@acme.com'],
    });
    expect(logins).toEqual(['incident-ops']);
    expect(received).toHaveLength(1);
    expect(received[0].from).toBe('incident-ops@acme.com');
    expect(received[0].to).toEqual([
      'area-leads-digital-channels@acme.com',
      'vendor-managers@acme.com',
    ]);
    expect(received[0].data).toMatch(
      /^Subject: P1 INC13070002: Karpenter GPU node failure/m,
    );
    expect(received[0].data).toMatch(/^X-Incident-Ops-Incident: INC13070002/m);
    expect(received[0].data).toContain('Status: Escalated, tier L3');
    // (long headers are folded onto the next line)
    const messageId = (data: string) =>
      data.replace(/\r\n[ \t]+/g, ' ').match(/^Message-ID: (\S+)/im)?.[1];
    const id = messageId(received[0].data);
    expect(id).toMatch(/^<[0-9a-f]{64}@incident-ops>$/);
    // a retry of the same delivery carries the same id
    await email.send({ ...notification, to: ['vendor-managers@acme.com'] });
    expect(messageId(received[1].data)).toBe(id);
  });

  it('throws when the server refuses the login, so the outbox retries', async () => {
    const email = EmailNotifier.fromConfig(config('wrong'))!;
    await expect(
      email.send({ ...notification, to: ['a@acme.com'] }),
    ).rejects.toThrow(/Invalid login|Invalid username/);
  });

  it('is absent without config', () => {
    expect(EmailNotifier.fromConfig(new ConfigReader({}))).toBeUndefined();
  });
});

describe('webhooks', () => {
  it('posts Slack incoming-webhook payloads to the channel’s own webhook, else the default', async () => {
    const hook = await receiver();
    try {
      const slack = SlackNotifier.fromConfig(
        new ConfigReader({
          incidentOps: {
            notifications: {
              slack: {
                webhookUrl: `${hook.url}/services/DEFAULT`,
                channels: [
                  {
                    channel: '#atlas-l3-evangelists',
                    webhookUrl: `${hook.url}/services/L3`,
                  },
                ],
              },
            },
          },
        }),
      )!;
      expect(slack.batch).toBe(false);
      expect(
        slack.address({ name: 'x', slackChannel: '#atlas-l3-evangelists' }),
      ).toBe('#atlas-l3-evangelists');
      // a channel without a webhook of its own is reached through the default one
      expect(slack.address({ name: 'x', slackChannel: '#network-team' })).toBe(
        DEFAULT_WEBHOOK,
      );
      expect(
        slack.address({ name: 'someone without a channel' }),
      ).toBeUndefined();
      await slack.send({ ...notification, to: ['#atlas-l3-evangelists'] });
      await slack.send({ ...notification, to: [DEFAULT_WEBHOOK] });
      expect(hook.requests.map(r => r.path)).toEqual([
        '/services/L3',
        '/services/DEFAULT',
      ]);
      expect(hook.requests[0].headers['content-type']).toBe('application/json');
      expect(hook.requests[0].body.text).toBe(
        '*P1 INC13070002: Karpenter GPU node failure*\n' +
          'INC13070002 (P1): Karpenter GPU node failure\nStatus: Escalated, tier L3\n' +
          '<https://acme.service-now.com/incident.do?sys_id=abc|Open the ticket>',
      );
      expect(hook.requests[0].body.blocks[0]).toEqual({
        type: 'section',
        text: { type: 'mrkdwn', text: hook.requests[0].body.text },
      });
    } finally {
      await hook.close();
    }
  });

  it('posts once per webhook: channels that share one (the default) are one address, and the post names whom it is for', async () => {
    const hook = await receiver();
    try {
      const config = (section: object) =>
        new ConfigReader({ incidentOps: { notifications: section } });
      const slack = SlackNotifier.fromConfig(
        config({ slack: { webhookUrl: `${hook.url}/services/DEFAULT` } }),
      )!;
      const teams = TeamsNotifier.fromConfig(
        config({
          teams: {
            channels: [
              { channel: 'Ops A', webhookUrl: `${hook.url}/webhookb2/ops` },
              { channel: 'Ops B', webhookUrl: `${hook.url}/webhookb2/ops` },
            ],
          },
        }),
      )!;
      // an incoming webhook posts to its own channel whatever the payload says: every
      // channel sent through it is the same address, so the router plans one delivery
      expect(
        new Set(
          ['#atlas-l3-evangelists', '#livelink-prod-incidents', '#x'].map(c =>
            slack.address({ name: c, slackChannel: c }),
          ),
        ),
      ).toEqual(new Set([DEFAULT_WEBHOOK]));
      expect(teams.address({ name: 'b', teamsChannel: 'Ops B' })).toBe('Ops A');
      const recipients = [
        { entityRef: 'group:default/evangelists', name: 'L3 Evangelists' },
        { name: 'resource:default/livelink-prod channel' },
      ];
      await slack.send({ ...notification, to: [DEFAULT_WEBHOOK], recipients });
      await teams.send({ ...notification, to: ['Ops A'], recipients });
      expect(hook.requests.map(r => r.path)).toEqual([
        '/services/DEFAULT',
        '/webhookb2/ops',
      ]);
      expect(hook.requests[0].body.text).toMatch(
        /\n_For: L3 Evangelists, resource:default\/livelink-prod channel_$/,
      );
      expect(hook.requests[1].body.attachments[0].content.body[2]).toEqual({
        type: 'TextBlock',
        text: 'For: L3 Evangelists, resource:default/livelink-prod channel',
        wrap: true,
        isSubtle: true,
      });
      // one recipient: the post is the same as without any
      await slack.send({
        ...notification,
        to: [DEFAULT_WEBHOOK],
        recipients: recipients.slice(0, 1),
      });
      expect(hook.requests[2].body.text).not.toContain('For:');
    } finally {
      await hook.close();
    }
  });

  it('posts Teams Adaptive Card messages and fails on a refused webhook', async () => {
    let status = 200;
    const hook = await receiver(() => status);
    try {
      const teams = TeamsNotifier.fromConfig(
        new ConfigReader({
          incidentOps: {
            notifications: {
              teams: {
                channels: [
                  {
                    channel: 'IT Leadership - Incident Reviews',
                    webhookUrl: `${hook.url}/webhookb2/it`,
                  },
                ],
              },
            },
          },
        }),
      )!;
      // no default webhook: only the configured channel is reachable
      expect(
        teams.address({ name: 'x', teamsChannel: 'Elsewhere' }),
      ).toBeUndefined();
      await teams.send({
        ...notification,
        to: ['IT Leadership - Incident Reviews'],
      });
      const card = hook.requests[0].body;
      expect(card.type).toBe('message');
      expect(card.attachments[0].contentType).toBe(
        'application/vnd.microsoft.card.adaptive',
      );
      const content = card.attachments[0].content;
      expect(content.type).toBe('AdaptiveCard');
      expect(content.body[0]).toMatchObject({
        text: 'P1 INC13070002: Karpenter GPU node failure',
        color: 'Attention',
      });
      expect(content.actions[0]).toEqual({
        type: 'Action.OpenUrl',
        title: 'Open the ticket',
        url: 'https://acme.service-now.com/incident.do?sys_id=abc',
      });
      status = 503;
      await expect(
        teams.send({
          ...notification,
          to: ['IT Leadership - Incident Reviews'],
        }),
      ).rejects.toThrow(/answered 503/);
    } finally {
      await hook.close();
    }
  });

  it('sends SMS through the gateway with the bearer token and the delivery key as reference', async () => {
    const gateway = await receiver();
    try {
      const sms = SmsNotifier.fromConfig(
        new ConfigReader({
          incidentOps: {
            notifications: {
              sms: {
                gatewayUrl: `${gateway.url}/v1/messages`,
                token: 'gw-token',
                from: 'IncidentOps',
              },
            },
          },
        }),
      )!;
      expect(sms.address({ name: 'x', phone: '+1 (415) 555-0101' })).toBe(
        '+14155550101',
      );
      await sms.send({ ...notification, to: ['+14155550101'] });
      expect(gateway.requests).toHaveLength(1);
      expect(gateway.requests[0].path).toBe('/v1/messages');
      expect(gateway.requests[0].headers.authorization).toBe('Bearer gw-token');
      expect(gateway.requests[0].body).toEqual({
        to: '+14155550101',
        from: 'IncidentOps',
        message:
          'P1 INC13070002: Karpenter GPU node failure https://acme.service-now.com/incident.do?sys_id=abc',
        reference: notification.key,
      });
    } finally {
      await gateway.close();
    }
  });
});

describe("Backstage's notifications service", () => {
  it('posts to the notifications backend for users and groups, scoped by the delivery key', async () => {
    const backend = await receiver();
    try {
      const service = DefaultNotificationService.create({
        auth: mockServices.auth(),
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => `${backend.url}/api/notifications`,
        }),
      });
      const backstage = new BackstageNotifier(service);
      expect(
        backstage.address({ name: 'x', entityRef: 'group:default/team-leads' }),
      ).toBe('group:default/team-leads');
      await backstage.send({
        ...notification,
        to: ['group:default/team-leads', 'user:default/sarah.mitchell'],
      });
      expect(backstage.batch).toBe(true);
      expect(backend.requests).toHaveLength(1);
      expect(backend.requests[0].path).toBe('/api/notifications');
      expect(backend.requests[0].headers.authorization).toMatch(/^Bearer /);
      expect(backend.requests[0].body).toEqual({
        recipients: {
          type: 'entity',
          entityRef: [
            'group:default/team-leads',
            'user:default/sarah.mitchell',
          ],
        },
        payload: {
          title: 'P1 INC13070002: Karpenter GPU node failure',
          description: notification.message.body,
          link: notification.message.link,
          severity: 'critical',
          topic: 'incident-ops',
          scope: notification.key,
          metadata: { event: 'management-alert', incident: 'INC13070002' },
        },
      });
    } finally {
      await backend.close();
    }
  });
});
