// The OAuth 2 authorization-code flow (RFC 6749 section 4.1) with the OEM clouds that offer it
// (FoxESS and GivEnergy): the authorization URL the householder is sent to, and the token
// endpoint (code exchange and refresh, form-encoded, client authenticated with HTTP Basic). The
// paths are relative to the cloud's configured base URL and live here only, so a cloud that
// publishes other paths changes this file alone.
import { z } from "zod";
import { OemCredentialRejectedError, OemProtocolError } from "./errors";
import { credentialFingerprint, expectShape, type OemHttpClient } from "./http";
import type { RefreshedAccessToken } from "./types";

export const OAUTH_AUTHORIZE_PATH = "/oauth/authorize";
export const OAUTH_TOKEN_PATH = "/oauth/token";

/** The application's registration with the OEM's cloud. */
export interface OauthClientRegistration {
  clientId: string;
  clientSecret: string;
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string;
}

export interface IssuedOauthTokens extends RefreshedAccessToken {
  refreshToken?: string;
}

const tokenSchema = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1).optional(), expires_in: z.number().positive() });

export class OauthTokenClient {
  constructor(private readonly http: OemHttpClient) {}

  /** Where to send the householder: the cloud's sign-in and approval page. */
  authorizationUrl(request: AuthorizationRequest): string {
    const query = new URLSearchParams({ response_type: "code", client_id: request.clientId, redirect_uri: request.redirectUri, state: request.state });
    return `${this.http.baseUrl}${OAUTH_AUTHORIZE_PATH}?${query.toString()}`;
  }

  /** Exchanges the code the householder's approval produced; a 400/401 means the code (or the client) was refused. */
  exchangeCode(client: OauthClientRegistration, code: string, redirectUri: string): Promise<IssuedOauthTokens> {
    const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64");
    return this.token(new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri }), `Basic ${basic}`, "code exchange");
  }

  /** Exchanges a refresh token (RFC 6749 section 6); a 400/401 means it was refused. */
  refresh(refreshToken: string): Promise<IssuedOauthTokens> {
    return this.token(new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }), null, "token refresh");
  }

  private async token(form: URLSearchParams, authorization: string | null, operation: string): Promise<IssuedOauthTokens> {
    const result = await this.http.send({
      method: "POST",
      path: OAUTH_TOKEN_PATH,
      headers: () => ({ "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...(authorization ? { authorization } : {}) }),
      body: form.toString(),
      limiterKey: credentialFingerprint(form.get("code") ?? form.get("refresh_token") ?? ""),
    });
    if (result.status === 400 || result.status === 401) throw new OemCredentialRejectedError(this.http.oem, "expired", `${operation} refused (HTTP ${result.status})`);
    if (result.status < 200 || result.status >= 300) throw new OemProtocolError(this.http.oem, `HTTP ${result.status} on POST ${OAUTH_TOKEN_PATH}`);
    const data = expectShape(this.http.oem, operation, tokenSchema, result.body);
    return {
      accessToken: data.access_token,
      ...(data.refresh_token ? { refreshToken: data.refresh_token } : {}),
      expiresAt: new Date(Date.now() + data.expires_in * 1000),
    };
  }
}
