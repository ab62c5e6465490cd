// Build-time only (never bundled into dist/): renders the input declaration into action.yml, task.json and the
// README's tables. Each renderer takes the file as it is and replaces only the generated parts, so the rest of each
// file (name, branding, runtimes, the task's data source bindings, the README's prose) stays hand-written.
import {
  ALL_INPUTS,
  AZDO_GROUPS,
  OUTPUTS,
  OUTPUT_NAMES,
  describeInput,
  inputDefault,
  inputLabel,
  inputsOf,
  isOn,
  outputLabel,
  type AnyInputKey,
  type InputSpec,
} from '../core/inputs/inputs.js';

/** action.yml's `inputs` and `outputs`, in declaration order. */
export function actionInputsAndOutputs(): { inputs: object; outputs: object } {
  const inputs: Record<string, object> = {};
  for (const key of inputsOf('github')) {
    const def = inputDefault(key, 'github');
    inputs[key] = {
      description: describeInput(key, 'github'),
      required: false,
      ...(def !== undefined && { default: def }),
    };
  }
  const outputs = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, { description: OUTPUTS[name] }]));
  return { inputs, outputs };
}

type TaskInput = Record<string, unknown>;

function taskType(spec: InputSpec): { type: string; options?: Record<string, string>; properties?: object } {
  const kind = spec.kind;
  if (kind.type === 'connection') return { type: 'connectedService:AzureRM' };
  if (kind.type === 'boolean') return { type: 'boolean' };
  if (kind.type === 'lines' || kind.type === 'json')
    return { type: 'multiLine', properties: { resizable: 'true', rows: '4' } };
  if (kind.type === 'choice') {
    return {
      type: 'pickList',
      options: spec.azdo?.options ?? Object.fromEntries(kind.values.map((v) => [v, v])),
    };
  }
  if (spec.azdo?.editablePickList) return { type: 'pickList', properties: { EditableOptions: 'True' } };
  return { type: 'string' };
}

/** task.json's `groups`, `inputs` and `outputVariables`. */
export function taskInputsAndOutputs(): { groups: object[]; inputs: TaskInput[]; outputVariables: object[] } {
  const inputs = inputsOf('azdo').map((key): TaskInput => {
    const spec = ALL_INPUTS[key];
    const { type, options, properties } = taskType(spec);
    const def = inputDefault(key, 'azdo');
    return {
      name: inputLabel(key, 'azdo'),
      ...(spec.azdo?.aliases && { aliases: [...spec.azdo.aliases] }),
      type,
      label: spec.azdo?.label ?? key,
      ...(def !== undefined && { defaultValue: def }),
      required: false,
      ...(spec.azdo?.group && { groupName: spec.azdo.group }),
      ...(spec.azdo?.visibleRule && { visibleRule: spec.azdo.visibleRule }),
      helpMarkDown: describeInput(key, 'azdo'),
      ...(options && { options }),
      ...(properties && { properties }),
    };
  });
  return {
    groups: AZDO_GROUPS.map((g) => ({ ...g })),
    inputs,
    outputVariables: OUTPUT_NAMES.map((name) => ({ name: outputLabel(name, 'azdo'), description: OUTPUTS[name] })),
  };
}

/** task.json with its generated fields replaced; every other field kept where it is. */
export function renderTaskJson(current: Record<string, unknown>): Record<string, unknown> {
  const generated = taskInputsAndOutputs();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(current)) {
    if (k === 'groups' || k === 'dataSourceBindings') continue;
    if (k === 'inputs') {
      // Groups are declared just before the inputs they hold.
      out.groups = generated.groups;
      out.inputs = generated.inputs;
    } else if (k === 'outputVariables') out.outputVariables = generated.outputVariables;
    else out[k] = v;
  }
  if (!('inputs' in out)) Object.assign(out, { groups: generated.groups, inputs: generated.inputs });
  if (!('outputVariables' in out)) out.outputVariables = generated.outputVariables;
  // Data source bindings fill the inputs' pick lists: kept, after the inputs they fill.
  if (current.dataSourceBindings !== undefined) out.dataSourceBindings = current.dataSourceBindings;
  return out;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text}\``;

function platformLabel(key: AnyInputKey, platform: 'github' | 'azdo' | 'cli'): string {
  return isOn(ALL_INPUTS[key], platform) ? code(inputLabel(key, platform)) : '—';
}

function readmeDefault(key: AnyInputKey): string {
  const spec = ALL_INPUTS[key];
  if (spec.readmeDefault !== undefined) return spec.readmeDefault;
  const def = spec.default ?? spec.cli?.default;
  return def === undefined ? '' : code(def);
}

/** The README's inputs table: every input, its name on each platform, its default and meaning. */
export function readmeInputsTable(): string {
  const keys = Object.keys(ALL_INPUTS) as AnyInputKey[];
  const rows = keys.map((key) => {
    const spec = ALL_INPUTS[key];
    const platform = isOn(spec, 'github') ? 'github' : isOn(spec, 'azdo') ? 'azdo' : 'cli';
    return `| ${platformLabel(key, 'github')} | ${platformLabel(key, 'azdo')} | ${platformLabel(key, 'cli')} | ${readmeDefault(key)} | ${cell(describeInput(key, platform))} |`;
  });
  return ['| GitHub | Azure DevOps | CLI | Default | Meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function readmeOutputsTable(): string {
  const rows = OUTPUT_NAMES.map(
    (name) => `| ${code(name)} | ${code(outputLabel(name, 'azdo'))} | ${cell(OUTPUTS[name])} |`,
  );
  return ['| GitHub | Azure DevOps | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function replaceGenerated(document: string, name: string, content: string): string {
  const start = `<!-- generated:${name} (npm run build writes this table from src/core/inputs/input-declaration.ts) -->`;
  const end = `<!-- /generated:${name} -->`;
  const i = document.indexOf(start);
  const j = document.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${document.slice(0, i + start.length)}\n\n${content}\n\n${document.slice(j)}`;
}

export function renderReadme(current: string): string {
  return replaceGenerated(replaceGenerated(current, 'inputs', readmeInputsTable()), 'outputs', readmeOutputsTable());
}
