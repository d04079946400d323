// A real OpenID Connect provider (the oidc-provider package) on loopback, for fullauth's OAuth tests.
//
// Usage: node server.mjs <clients as JSON>
// Listens on a port the system picks, then prints "ready <issuer>". An account id names its claims: "<name>:<email>:<1|0>" signs in
// the subject "<name>:<email>:<1|0>" with that email, verified or not (an empty email: none).
import http from 'node:http';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.argv[2]);

function claimsOf(id) {
  const [, email, verified] = id.split(':');
  const claims = { sub: id };
  if (email) {
    claims.email = email;
    claims.email_verified = verified === '1';
  }
  return claims;
}

// The socket is bound first, so that the issuer names the port it really has.
const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => claimsOf(id) }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['fullauth test provider cookie key'] },
    pkce: { required: () => true },
  });
  server.on('request', provider.callback());
  process.stdout.write(`ready ${issuer}\n`);
});
