import { randomBytes } from 'node:crypto';
import express, { Request } from 'express';
import { FaultInjector } from './faults';

const ACCESS_TOKEN_SECONDS = 1799;
const REFRESH_TOKEN_SECONDS = 8_640_000;

export interface User {
  username: string;
  password: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface Token {
  user: string;
  clientId: string;
  expiresAt: number;
}

export interface Auth {
  /** Serves POST /oauth_token.do. */
  router: express.Router;
  /** The user a Basic or Bearer Authorization header names, if valid. */
  authenticate(req: Request): string | undefined;
}

/**
 * The OAuth token endpoint and its token store, and the check of the
 * credentials the Table API accepts (basic auth or a bearer token).
 */
export function createAuth(options: {
  now: () => Date;
  users: User[];
  clients: OAuthClient[];
  faults: FaultInjector;
}): Auth {
  const { now, users, clients, faults } = options;
  const accessTokens = new Map<string, Token>();
  const refreshTokens = new Map<string, Token>();

  const issue = (user: string, clientId: string, refresh?: string) => {
    const t = now().getTime();
    const access = randomBytes(32).toString('base64url');
    accessTokens.set(access, {
      user,
      clientId,
      expiresAt: t + ACCESS_TOKEN_SECONDS * 1000,
    });
    let refreshToken = refresh;
    if (!refreshToken) {
      refreshToken = randomBytes(32).toString('base64url');
      refreshTokens.set(refreshToken, {
        user,
        clientId,
        expiresAt: t + REFRESH_TOKEN_SECONDS * 1000,
      });
    }
    return {
      access_token: access,
      refresh_token: refreshToken,
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
    };
  };

  const router = express.Router();
  router.post(
    '/oauth_token.do',
    faults.latency,
    express.urlencoded({ extended: false }),
    (req, res) => {
      const denied = () =>
        res
          .status(401)
          .json({ error: 'server_error', error_description: 'access_denied' });
      if (faults.switches.authFailure) return denied();
      const body = (req.body ?? {}) as Record<string, string>;
      let clientId = body.client_id;
      let clientSecret = body.client_secret;
      const auth = req.get('authorization');
      if (!clientId && auth?.startsWith('Basic ')) {
        const decoded = Buffer.from(auth.slice(6), 'base64').toString();
        const i = decoded.indexOf(':');
        clientId = decoded.slice(0, i);
        clientSecret = decoded.slice(i + 1);
      }
      const client = clients.find(
        c => c.clientId === clientId && c.clientSecret === clientSecret,
      );
      if (!client) return denied();
      switch (body.grant_type) {
        case 'password': {
          const user = users.find(
            u => u.username === body.username && u.password === body.password,
          );
          if (!user) return denied();
          return res.json(issue(user.username, client.clientId));
        }
        case 'client_credentials':
          return res.json(issue(client.clientId, client.clientId));
        case 'refresh_token': {
          const t = refreshTokens.get(body.refresh_token ?? '');
          if (
            !t ||
            t.clientId !== client.clientId ||
            t.expiresAt <= now().getTime()
          ) {
            return denied();
          }
          return res.json(issue(t.user, client.clientId, body.refresh_token));
        }
        default:
          return res.status(400).json({
            error: 'unsupported_grant_type',
            error_description: `Unsupported grant type: ${
              body.grant_type ?? ''
            }`,
          });
      }
    },
  );

  const authenticate = (req: Request): string | undefined => {
    const auth = req.get('authorization') ?? '';
    if (auth.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString();
      const i = decoded.indexOf(':');
      const user = users.find(
        u =>
          i > 0 &&
          u.username === decoded.slice(0, i) &&
          u.password === decoded.slice(i + 1),
      );
      return user?.username;
    }
    if (auth.startsWith('Bearer ')) {
      const t = accessTokens.get(auth.slice(7).trim());
      if (t && t.expiresAt > now().getTime()) return t.user;
      return undefined;
    }
    return undefined;
  };

  return { router, authenticate };
}
