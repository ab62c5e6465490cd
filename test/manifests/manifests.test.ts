// action.yml, task.json, the core's input list and package.json agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INPUT_KEYS } from '../../src/core/types.js';
import { azdoName } from '../../src/adapters/azdo/run.js';
import { actionManifest, taskManifest } from '../helpers/bundles.js';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const action = actionManifest as unknown as {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};
const task = taskManifest as unknown as {
  version: { Major: number; Minor: number; Patch: number };
  inputs: { name: string; defaultValue?: string }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
  minimumAgentVersion: string;
};

describe('manifests', () => {
  it('action.yml declares exactly the inputs the core reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_KEYS].sort());
  });

  it('task.json declares the same inputs in camelCase, with the same defaults', () => {
    expect(task.inputs.map((i) => i.name).sort()).toEqual(INPUT_KEYS.map(azdoName).sort());
    for (const key of INPUT_KEYS) {
      const input = task.inputs.find((i) => i.name === azdoName(key))!;
      expect([key, input.defaultValue]).toEqual([key, action.inputs[key]!.default]);
    }
  });

  it('outputs agree', () => {
    expect(task.outputVariables.map((o) => o.name).sort()).toEqual(Object.keys(action.outputs).map(azdoName).sort());
  });

  it('runtimes: node24 for the action; Node20_1 and Node24 for the task, on the same committed bundle', () => {
    expect(action.runs.using).toBe('node24');
    expect(action.runs.main).toBe('dist/github/index.mjs');
    expect(Object.keys(task.execution).sort()).toEqual(['Node20_1', 'Node24']);
    expect(new Set(Object.values(task.execution).map((e) => e.target))).toEqual(new Set(['dist/azdo/index.mjs']));
    expect(task.minimumAgentVersion).toBe('4.248.0');
  });

  it('task.json version is package.json version', () => {
    expect(`${task.version.Major}.${task.version.Minor}.${task.version.Patch}`).toBe(pkg.version);
  });
});
