// One emulated vault: its secrets, its behaviour switches, where it listens, and where ARM places it.
import { RESOURCE_GROUP, SUBSCRIPTION_ID, vaultResourceId } from '../entra/identities.js';
import type { SettingsPatch } from './vault-config.js';
import { VaultBehaviour } from './vault-config.js';
import { VaultStore } from './vault-store.js';

export class Vault {
  readonly store = new VaultStore(undefined, undefined, () => this.behaviour.settings.consistencyDelayMs);
  readonly behaviour: VaultBehaviour;
  /** https://localhost:PORT, set once the vault listens. */
  url = '';

  constructor(
    readonly name: string,
    initial: SettingsPatch = {},
    /** The ARM subscription and resource group the vault belongs to (a workspace's vault: the workspace's). */
    readonly subscriptionId = SUBSCRIPTION_ID,
    readonly resourceGroup = RESOURCE_GROUP,
  ) {
    this.behaviour = new VaultBehaviour(initial);
  }

  /** The vault's ARM resource id, in Key Vault's own casing (identities.ts). */
  get resourceId(): string {
    return vaultResourceId(this.name, this.subscriptionId, this.resourceGroup);
  }
}
