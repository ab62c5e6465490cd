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
  outputLabel,
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

export { renderReadme } from './render-docs.js';
