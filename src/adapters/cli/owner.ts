// Who owns what the CLI writes. In a checkout of a GitHub repository, the repository, named exactly as the GitHub
// Action names it (`github.com/ORG/REPO`): a secret set from a laptop is then the repository's, and its pipeline
// (or a teammate) updates it without adopt-unowned. Elsewhere the person at this machine, `cli/USER@HOST`. `--owner`
// overrides both (to hand a secret over); it is checked like every input, before any request, and never repeated.
import { hostname, userInfo } from 'node:os';
import type { Owner } from '../../core/common/types.js';
import { checkoutOwner } from '../../core/local-config/git-remote.js';
import { ownerProblem } from '../../core/inputs/parse-fleet.js';
import { inputLabel } from '../../core/inputs/inputs.js';

export function cliOwner(given: unknown, workingDirectory: string): Owner {
  if (typeof given === 'string') {
    const problem = ownerProblem(given, inputLabel('owner', 'cli'));
    return problem === undefined ? { id: given } : { id: given, problem };
  }
  return { id: checkoutOwner(workingDirectory) ?? `cli/${safeUser()}@${hostname()}` };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown-user';
  }
}
