// What Azure DevOps does with a task.json dataSourceBinding that has an inline endpointUrl, as its
// service-endpoint documentation describes it (https://learn.microsoft.com/azure/devops/extend/develop/service-endpoints
// and docs/azure-devops-pickers.md here):
//   1. `$(name)` in the URL is replaced by the value of the task input `name` (or a `parameters` entry);
//   2. the URL is a Mustache template over the service connection: `{{{endpoint.url}}}` (raw; for an
//      Azure Resource Manager connection "https://management.azure.com/", with the trailing slash),
//      `{{{endpoint.subscriptionId}}}`; `{{x}}` is the HTML-escaped form;
//   3. the server GETs it with the connection's Azure token, applies `resultSelector`
//      ("jsonpath:" + a Json.NET JSONPath) to the response, and renders `resultTemplate` (Mustache) over
//      each selected item, which gives a JSON object {"Value", "DisplayValue"} for the picker.
// Only what our bindings use is implemented; anything else throws rather than guessing.

export interface DataSourceBinding {
  target: string;
  endpointId: string;
  endpointUrl: string;
  resultSelector: string;
  resultTemplate: string;
  parameters?: Record<string, string>;
}

export interface PickerEntry {
  Value: string;
  DisplayValue: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function lookup(context: Record<string, unknown>, path: string): string {
  let v: unknown = context;
  for (const part of path.trim().split('.')) {
    if (v === null || typeof v !== 'object' || !(part in v)) throw new Error(`template variable '${path}' is not set`);
    v = (v as Record<string, unknown>)[part];
  }
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
    throw new Error(`template variable '${path}' is not a scalar`);
  return String(v);
}

/** Mustache variables only: `{{{x.y}}}` raw, `{{x.y}}` HTML-escaped. Sections and partials throw. */
export function renderMustache(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\{([^{}]+)\}\}\}|\{\{([^{}]+)\}\}/g, (_, raw?: string, escaped?: string) => {
    const name = (raw ?? escaped)!;
    if (/^\s*[#^/>!&]/.test(name)) throw new Error(`Mustache tag '${name}' is not supported here`);
    const value = lookup(context, name);
    return raw !== undefined ? value : value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
  });
}

/** Steps 1 and 2: the URL the server requests. */
export function expandEndpointUrl(
  binding: DataSourceBinding,
  endpoint: { url: string; subscriptionId: string },
  inputs: Record<string, string>,
): string {
  const parameters = Object.fromEntries(
    Object.entries(binding.parameters ?? {}).map(([k, v]) => [k, substituteInputs(v, inputs)]),
  );
  const url = substituteInputs(binding.endpointUrl, { ...inputs, ...parameters });
  return renderMustache(url, { endpoint, ...parameters });
}

function substituteInputs(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\(([^)]+)\)/g, (_, name: string) => {
    if (!(name in inputs)) throw new Error(`$(${name}) names no task input with a value`);
    return inputs[name]!;
  });
}

/** `jsonpath:$.a.b[*]` (the subset our bindings use). */
export function selectJsonPath(body: unknown, selector: string): unknown[] {
  const m = /^jsonpath:\$((?:\.[A-Za-z_][\w]*)*)\[\*\]$/.exec(selector);
  if (!m) throw new Error(`resultSelector '${selector}' is not of the form jsonpath:$.path[*]`);
  let v: unknown = body;
  for (const part of m[1]!.split('.').filter(Boolean)) v = (v as Record<string, unknown> | undefined)?.[part];
  if (!Array.isArray(v)) throw new Error(`resultSelector '${selector}' selects no array`);
  return v;
}

/** Step 3 after the request: the picker's entries. */
export function pickerEntries(binding: DataSourceBinding, body: unknown): PickerEntry[] {
  return selectJsonPath(body, binding.resultSelector).map((item) => {
    const entry = JSON.parse(renderMustache(binding.resultTemplate, item as Record<string, unknown>)) as PickerEntry;
    if (typeof entry.Value !== 'string' || typeof entry.DisplayValue !== 'string')
      throw new Error(`resultTemplate gave ${JSON.stringify(entry)}, not {Value, DisplayValue}`);
    return entry;
  });
}
