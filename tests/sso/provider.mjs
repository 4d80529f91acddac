// A real OpenID provider for the single sign-on tests: the npm package oidc-provider (certified
// by the OpenID Foundation), on 127.0.0.1. Run as `node tests/sso/provider.mjs PORT REDIRECT_URI`.
//
// Only for tests:
// - the sign-in (interaction) step logs in the account named by the authorisation request's
//   login_hint, with no form, and consents to what the client asked;
// - PUT /test/accounts/ID with a JSON body of claims changes an account, so a test can take a
//   role away in the provider between two sign-ins.
import Provider from "oidc-provider";

const port = Number(process.argv[2]);
const redirectUri = process.argv[3] || "http://localhost/sign-in/council/callback";
const issuer = `http://127.0.0.1:${port}`;

//: The council's people as the provider knows them: invented names.
const accounts = {
  "amy-sro": { email: "amy.ashdown@borsetshire.example.gov.uk", name: "Amy Ashdown", roles: ["RIPA.SRO"], groups: ["grp-sro"] },
  "ben-officer": { email: "ben.bramley@borsetshire.example.gov.uk", name: "Ben Bramley", roles: ["RIPA.Officer"], groups: ["grp-officers"] },
  "cat-nobody": { email: "cat.cotton@borsetshire.example.gov.uk", name: "Cat Cotton", roles: [], groups: [] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "ripa-guard",
      client_secret: "test-only-client-secret",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    roles: ["roles"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "roles", "groups"],
  // Entra ID puts app roles in the ID token itself: so does this provider.
  conformIdTokenClaims: false,
  pkce: { required: () => false },
  features: { devInteractions: { enabled: false } },
  ttl: { IdToken: 60, AccessToken: 60, AuthorizationCode: 60, Session: 600, Grant: 600, Interaction: 600 },
  cookies: { keys: ["test-only-cookie-key"] },
  async findAccount(ctx, id) {
    if (!(id in accounts)) return undefined;
    return {
      accountId: id,
      async claims() {
        const a = accounts[id];
        return { sub: id, email: a.email, email_verified: true, name: a.name, roles: a.roles, groups: a.groups };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

async function readJson(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return JSON.parse(body);
}

provider.use(async (ctx, next) => {
  const { path, method } = ctx;
  if (method === "PUT" && path.startsWith("/test/accounts/")) {
    accounts[decodeURIComponent(path.slice("/test/accounts/".length))] = await readJson(ctx.req);
    ctx.status = 204;
    return;
  }
  if (method === "GET" && path.startsWith("/interaction/")) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params } = details;
    if (prompt.name === "login") {
      const accountId = params.login_hint;
      if (!(accountId in accounts)) {
        ctx.status = 400;
        ctx.body = `no test account ${accountId}`;
        return;
      }
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId } });
      ctx.respond = false;
      return;
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } });
    ctx.respond = false;
    return;
  }
  await next();
});

provider.on("server_error", (ctx, error) => console.log("server_error", error));
provider.on("authorization.error", (ctx, error) => console.log("authorization.error", error.message, error.error_description));

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
