// The emulator's Entra tenant at run time: the credentials each app registration holds (a client
// secret and a certificate for the service principal, federated identity credentials for the GitHub
// and Azure DevOps apps), the subjects the emulator's OIDC issuers put in their next ID tokens, and
// each principal's ARM role. Changed through the admin API (admin.ts).
import { createHash, createHmac, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AZDO_APP, findByClientId, GITHUB_APP, KNOWN_PRINCIPALS, SERVICE_PRINCIPAL } from './identities.js';
import type { Principal } from './identities.js';

/** The audience Entra expects in federated tokens (public cloud; Entra docs "workload identity federation"). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** A federated identity credential of an app: Entra matches (iss, sub, aud) exactly and case-sensitively. */
export interface FederatedCredential {
  clientId: string;
  issuer: string;
  subject: string;
  audience: string;
  /** false for credentials added through the admin API (DELETE removes those). */
  builtIn: boolean;
}

/**
 * ARM role of a principal: `reader` = Reader on every emulated subscription (reads any workspace and
 * vault, and sees 404s for names that do not exist), `workspace` = Reader on each workspace only (its
 * vault's GET is denied), `none` = no ARM role (403 AuthorizationFailed on everything).
 */
export type ArmRole = 'reader' | 'workspace' | 'none';
export const ARM_ROLES: readonly ArmRole[] = ['reader', 'workspace', 'none'];

/** The pipeline identities' Resource Manager role where `armRole` is `reader` (`--arm-role`). */
export type ArmLevel = 'owner' | 'contributor' | 'reader';
export const ARM_LEVELS: readonly ArmLevel[] = ['owner', 'contributor', 'reader'];

export interface DirectoryOptions {
  /** Secrets derive from this key, so emulators sharing a cert dir hand out the same ones. */
  secretSeed: KeyObject;
  spCertificatePem: string;
  spCredentialFile: string;
  issuers: { github: string; azdo: string };
  defaultSubjects: { github: string; azdo: string };
}

export class Directory {
  readonly clientSecret: string;
  readonly spCertificate: X509Certificate;
  readonly spCredentialFile: string;
  readonly issuers: { github: string; azdo: string };
  readonly defaultSubjects: { github: string; azdo: string };
  /** What the emulator's GitHub / Azure DevOps issuers put in `sub` (admin config githubSubject / azdoSubject). */
  subjects: { github: string; azdo: string };
  /** Opaque bearer values the CI endpoints check (ACTIONS_ID_TOKEN_REQUEST_TOKEN, System.AccessToken). */
  readonly githubRequestToken: string;
  readonly azdoSystemAccessToken: string;
  private readonly builtIn: FederatedCredential[];
  private added: FederatedCredential[] = [];
  /** ARM roles set through the admin API, by object id; every other known identity is a Reader. */
  private armOverrides = new Map<string, ArmRole>();
  /** Owner, Contributor or Reader on every emulated subscription (`--arm-role`, admin config `armRole`). */
  armLevel: ArmLevel = 'owner';
  /** Workspaces say "SystemAssigned, UserAssigned" (with a space) instead of ARM's "SystemAssigned,UserAssigned". */
  identityTypeWithSpace = false;

  constructor(options: DirectoryOptions) {
    const derive = (label: string) =>
      createHmac('sha256', options.secretSeed.export({ type: 'pkcs8', format: 'der' }))
        .update(label)
        .digest('base64url');
    // Entra client secrets look like "abc8Q~" + 34 characters of [A-Za-z0-9_.~-].
    this.clientSecret = `Emu8Q~${derive('client-secret').replace(/-/g, '.').slice(0, 34)}`;
    this.githubRequestToken = derive('github-id-token-request').slice(0, 40);
    this.azdoSystemAccessToken = derive('azdo-system-access-token').slice(0, 52);
    this.spCertificate = new X509Certificate(options.spCertificatePem);
    this.spCredentialFile = options.spCredentialFile;
    this.issuers = options.issuers;
    this.defaultSubjects = options.defaultSubjects;
    this.subjects = { ...options.defaultSubjects };
    this.builtIn = [
      {
        clientId: GITHUB_APP.appId,
        issuer: options.issuers.github,
        subject: options.defaultSubjects.github,
        audience: TOKEN_EXCHANGE_AUDIENCE,
        builtIn: true,
      },
      {
        clientId: AZDO_APP.appId,
        issuer: options.issuers.azdo,
        subject: options.defaultSubjects.azdo,
        audience: TOKEN_EXCHANGE_AUDIENCE,
        builtIn: true,
      },
    ];
  }

  /** The principal's client secret, if it has one (only the service principal). */
  secretOf(principal: Principal): string | undefined {
    return principal.objectId === SERVICE_PRINCIPAL.objectId ? this.clientSecret : undefined;
  }

  /** Certificates registered on the app (only the service principal has one). */
  certificatesOf(principal: Principal): X509Certificate[] {
    return principal.objectId === SERVICE_PRINCIPAL.objectId ? [this.spCertificate] : [];
  }

  federatedCredentials(clientId?: string): FederatedCredential[] {
    const all = [...this.builtIn, ...this.added];
    return clientId === undefined ? all : all.filter((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
  }

  addFederatedCredential(fic: Omit<FederatedCredential, 'builtIn'>): FederatedCredential {
    const principal = findByClientId(fic.clientId);
    if (!principal)
      throw new Error(`unknown clientId "${fic.clientId}" (known: ${KNOWN_PRINCIPALS.map((p) => p.appId).join(', ')})`);
    const added = { ...fic, clientId: principal.appId, builtIn: false };
    this.added.push(added);
    return added;
  }

  clearAddedFederatedCredentials(): void {
    this.added = [];
  }

  /** Unknown principals (tokens for other object ids) have no ARM role. */
  armRole(objectId: string): ArmRole {
    return (
      this.armOverrides.get(objectId) ?? (KNOWN_PRINCIPALS.some((p) => p.objectId === objectId) ? 'reader' : 'none')
    );
  }

  /** Replaces every earlier ARM role assignment (by client id, already validated). */
  setArmRoles(byClientId: Record<string, ArmRole>): void {
    this.armOverrides = new Map(
      Object.entries(byClientId).map(([clientId, role]) => [findByClientId(clientId)!.objectId, role]),
    );
  }

  describe(): Record<string, unknown> {
    return {
      subjects: this.subjects,
      armRoles: Object.fromEntries(KNOWN_PRINCIPALS.map((p) => [p.appId, this.armRole(p.objectId)])),
      armRole: this.armLevel,
      identityTypeWithSpace: this.identityTypeWithSpace,
      federatedCredentials: this.federatedCredentials(),
    };
  }
}

/** SHA-1 and SHA-256 thumbprints of a certificate (DER), as the x5t / x5t#S256 JWT headers carry them. */
export function thumbprints(cert: X509Certificate): { sha1: Buffer; sha256: Buffer } {
  return { sha1: createHash('sha1').update(cert.raw).digest(), sha256: createHash('sha256').update(cert.raw).digest() };
}
