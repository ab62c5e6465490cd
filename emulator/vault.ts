// One emulated vault: its secrets, its behaviour switches, and where it listens.
import type { SettingsPatch } from './vault-config.js';
import { VaultBehaviour } from './vault-config.js';
import { VaultStore } from './vault-store.js';

export class Vault {
  readonly store = new VaultStore();
  readonly behaviour: VaultBehaviour;
  /** https://localhost:PORT, set once the vault listens. */
  url = '';

  constructor(
    readonly name: string,
    initial: SettingsPatch = {},
  ) {
    this.behaviour = new VaultBehaviour(initial);
  }
}
