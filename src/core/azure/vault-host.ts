// Where a Key Vault token may go. The SDK answers any https host's 401 challenge by asking the credential for a
// token, so a typo'd or planted vault URL would receive one. Before anything is requested, a vault's host must be
// NAME.<the cloud's vault suffix>, NAME.<a suffix the user allows> (Azure Stack Hub, a private cloud), or a
// loopback host (the local emulator). Everything else is refused, and the message says what is allowed.
// Key Vault DNS suffixes per cloud: https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates

/**
 * Loopback hosts: `localhost`, 127.0.0.0/8 and [::1]. Only for these may the challenge-resource check
 * be disabled: the local emulator answers the auth challenge with the public cloud's resource
 * (https://vault.azure.net), which does not match its host. A real vault keeps the check, which stops
 * a token for Key Vault being sent to a host that is not one.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  const octets = h.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** One DNS label: letters, digits and '-', not at either end. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A suffix as the user may write it (`vault.contoso.local`, `.vault.contoso.local`), normalised; or undefined. */
export function normaliseSuffix(text: string): string | undefined {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/^\*?\./, '')
    .replace(/\.$/, '');
  const labels = s.split('.');
  if (labels.length < 2 || s.length > 253 || !labels.every((l) => LABEL.test(l))) return undefined;
  // An IP address is not a DNS suffix.
  if (labels.every((l) => /^\d+$/.test(l))) return undefined;
  return s;
}

/** Why the vault at `url` must not get a token, or undefined when it may. `suffixes` are already normalised. */
export function vaultHostProblem(url: URL, suffixes: readonly string[]): string | undefined {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (isLoopbackHost(host)) return undefined;
  const allowed = suffixes.map((s) => `NAME.${s}`).join(', ');
  const why = `Key Vault tokens are sent only to ${allowed} or a loopback host`;
  if (host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host)) {
    return `the host ${host} is an IP address, not a vault's name: ${why}`;
  }
  const dot = host.indexOf('.');
  const rest = dot < 0 ? '' : host.slice(dot + 1);
  if (dot > 0 && suffixes.includes(rest)) return undefined;
  return `the host ${host} is not a Key Vault host of this cloud: ${why}`;
}

/**
 * The command that recovers a soft-deleted secret, naming the vault by its own name: from its resource id when the
 * vault was found over Resource Manager, else from its URL's host (NAME.vault.azure.net). A vault whose URL holds no
 * name (a loopback host, an address) is named by the deleted secret's id, which `az` takes instead.
 */
export function recoverCommand(vaultUrl: string, secretName: string, vaultId?: string): string {
  const fromId = vaultId === undefined ? undefined : /\/vaults\/([^/]+)$/i.exec(vaultId)?.[1];
  const url = new URL(vaultUrl);
  const host = url.hostname;
  const named = !isLoopbackHost(host) && !/^[\d.]+$|:/.test(host) && host.includes('.');
  const name = fromId ?? (named ? host.split('.')[0] : undefined);
  return name === undefined
    ? `az keyvault secret recover --id ${url.origin}/deletedsecrets/${secretName}`
    : `az keyvault secret recover --vault-name ${name} --name ${secretName}`;
}
