// GitHub Actions ID-token endpoint facts (the runner's ACTIONS_ID_TOKEN_REQUEST_URL, read by
// @actions/core getIDToken: GET <url>&audience=…, Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN,
// response JSON with `value`). Sources: actions/toolkit packages/core/src/oidc-utils.ts; token claims and
// lifetime from docs.github.com "About security hardening with OpenID Connect" (example token: nbf = iat −
// 600 s, exp = iat + 300 s).

/** The default `aud` when the request names none: the repository owner's URL (docs.github.com). */
export const defaultAudience = (owner: string) => `https://github.com/${owner}`;

/** Ours: the service's body for a missing or wrong request token is not captured (@actions/http-client reports only the status). */
export const unauthorized = () => ({ message: 'The bearer token is missing or not valid for this job (ours).' });
