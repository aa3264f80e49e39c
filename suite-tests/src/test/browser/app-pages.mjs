// The two pages of the auth0-js test app, for whichever origin serves them: login.html (a WebAuth instance for the
// Latchkey origin, nothing else) and callback.html (parseHash validates the id_token and prints the result as JSON).
//   origin       Latchkey's origin (the WebAuth domain, issuer and JWKS)
//   clientId     the suite's client
//   scriptSrc    where the page loads auth0.min.js from
//   redirectUri  the callback page's URL
//   label        a line of text on the login page
export function appPages({ origin, clientId, scriptSrc, redirectUri, label }) {
  const setup = `
<script src="${scriptSrc}"></script>
<script>
  window.webAuth = new auth0.WebAuth({
    domain: ${JSON.stringify(origin)}, clientID: ${JSON.stringify(clientId)},
    redirectUri: ${JSON.stringify(redirectUri)}, responseType: 'token id_token',
    scope: 'openid email phone',
    overrides: { __tenant: 'latchkey', __token_issuer: ${JSON.stringify(origin + '/')},
                 __jwks_uri: ${JSON.stringify(origin + '/.well-known/jwks.json')} }
  });
</script>`;
  return {
    login: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>app</title></head>
<body><p>${label}</p>${setup}</body></html>`,
    callback: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>callback</title></head>
<body><pre id="result"></pre>${setup}
<script>
  webAuth.parseHash({ hash: window.location.hash }, function (err, r) {
    document.getElementById('result').textContent = JSON.stringify(err
      ? { ok: false, error: err }
      : { ok: true, sub: r.idTokenPayload.sub, email: r.idTokenPayload.email,
          phone_number: r.idTokenPayload.phone_number, has_access_token: !!r.accessToken });
  });
</script></body></html>`,
  };
}
