// Resource Manager for Azure ML online endpoints (Microsoft.MachineLearningServices, the api-versions workspaces take;
// shapes of stable/2025-06-01 mfe.json OnlineEndpointTrackedResource and OnlineDeploymentTrackedResource, and of the
// examples Workspace/OnlineEndpoint/get.json and OnlineDeployment/ManagedOnlineDeployment/get.json):
//   GET    …/workspaces/{ws}/onlineEndpoints[/{e}]                              → { value } | the endpoint
//   GET    …/workspaces/{ws}/onlineEndpoints/{e}/deployments[/{d}]              → { value } | the deployment
//   PUT    …/workspaces/{ws}/onlineEndpoints/{e}/deployments/{d}                → 201 (made) | 200 (replaced)
//   DELETE …/workspaces/{ws}/onlineEndpoints/{e}/deployments/{d}                → 200 | 204 (none)
// A PUT is done at once: provisioningState Succeeded and no Azure-AsyncOperation header, so the SDKs' pollers read
// the state from the body and finish. The answer echoes what the request set among the properties the spec defines.
import { armIdentityBody } from './aml-resources.js';
import { systemData } from './bodies.js';
import { ArmReply, checkApiVersion, checkScope, parseJsonBody, same } from './context.js';
import type { ArmDeps } from './context.js';
import * as armErrors from './errors.js';
import { MLS_API_VERSIONS } from './errors.js';
import { LOCATION } from '../entra/identities.js';
import { onlineEndpointResourceId } from './online-endpoints.js';
import type { ArmOnlineEndpoint, OnlineDeploymentRecord } from './online-endpoints.js';

const ACTION = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints';
/** OnlineDeployment's properties (with EndpointDeploymentPropertiesBase's); provisioningState is read-only. */
const DEPLOYMENT_PROPERTIES = [
  'codeConfiguration',
  'description',
  'environmentId',
  'environmentVariables',
  'properties',
  'appInsightsEnabled',
  'dataCollector',
  'egressPublicNetworkAccess',
  'endpointComputeType',
  'instanceType',
  'livenessProbe',
  'model',
  'modelMountPath',
  'readinessProbe',
  'requestSettings',
  'scaleSettings',
  'startupProbe',
];
const COMPUTE_TYPES = ['Managed', 'Kubernetes', 'AzureMLCompute'];

/** `s`: the path's segments ('' first), s[9] = onlineEndpoints. undefined: not one of these routes. */
export function handleOnlineEndpoints(
  deps: ArmDeps,
  objectId: string,
  method: string,
  s: string[],
  query: URLSearchParams,
  body: Buffer | undefined,
): unknown {
  if (s.length < 10 || s.length > 13) return undefined;
  const deployments = s.length >= 12;
  if (deployments && !same(s[11]!, 'deployments')) return undefined;
  const single = s.length === 13;
  if (method !== 'GET' && !(single && (method === 'PUT' || method === 'DELETE')))
    throw armErrors.methodNotAllowed(method);
  checkApiVersion(
    query,
    MLS_API_VERSIONS,
    deployments ? 'workspaces/onlineEndpoints/deployments' : 'workspaces/onlineEndpoints',
  );
  const verb = method === 'GET' ? 'read' : method === 'PUT' ? 'write' : 'delete';
  const scope = s.join('/');
  checkScope(deps, objectId, scope, `${ACTION}${deployments ? '/deployments' : ''}/${verb}`);
  const [sub, rg, wsName] = [s[2]!, s[4]!, s[8]!];
  const ws = deps.workspaces.find(
    (w) => same(w.subscriptionId, sub) && same(w.resourceGroup, rg) && same(w.name, wsName),
  );
  if (!ws) throw armErrors.resourceNotFound('Microsoft.MachineLearningServices/workspaces', wsName, rg);
  const mine = deps.onlineEndpoints.filter(
    (e) => same(e.subscriptionId, sub) && same(e.resourceGroup, rg) && same(e.workspace, ws.name),
  );
  if (s.length === 10) return { value: mine.map((e) => endpointBody(e, deps.startedAt)) };
  const endpoint = mine.find((e) => same(e.name, s[10]!));
  if (!endpoint)
    throw armErrors.resourceNotFound(
      'Microsoft.MachineLearningServices/workspaces',
      `${ws.name}/onlineEndpoints/${s[10]}`,
      rg,
    );
  if (s.length === 11) return endpointBody(endpoint, deps.startedAt);
  if (!single) return { value: [...endpoint.deployments.values()].map((d) => deploymentBody(endpoint, d)) };
  const name = s[12]!;
  const found = endpoint.deployments.get(name.toLowerCase());
  if (method === 'DELETE') {
    if (!found) return new ArmReply(204);
    endpoint.deployments.delete(name.toLowerCase());
    return new ArmReply(200);
  }
  if (method === 'PUT') {
    const record = readDeployment(name, parseJsonBody(body), found);
    endpoint.deployments.set(name.toLowerCase(), record);
    return new ArmReply(found ? 200 : 201, deploymentBody(endpoint, record));
  }
  if (!found)
    throw armErrors.resourceNotFound(
      'Microsoft.MachineLearningServices/workspaces',
      `${ws.name}/onlineEndpoints/${endpoint.name}/deployments/${name}`,
      rg,
    );
  return deploymentBody(endpoint, found);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringMap = (v: unknown) => isObject(v) && Object.values(v).every((x) => typeof x === 'string' || x === null);

/** The PUT body as a deployment; throws ARM's 400s for what the service would refuse. */
function readDeployment(
  name: string,
  body: Record<string, unknown>,
  previous: OnlineDeploymentRecord | undefined,
): OnlineDeploymentRecord {
  if (typeof body.location !== 'string' || body.location === '') throw armErrors.locationRequired();
  const props = body.properties;
  if (!isObject(props)) throw armErrors.invalidRequestContent('properties must be an object');
  if (typeof props.endpointComputeType !== 'string' || !COMPUTE_TYPES.includes(props.endpointComputeType))
    throw armErrors.invalidRequestContent(`properties.endpointComputeType must be one of ${COMPUTE_TYPES.join(', ')}`);
  for (const key of ['environmentVariables', 'properties'])
    if (props[key] !== undefined && props[key] !== null && !stringMap(props[key]))
      throw armErrors.invalidRequestContent(`properties.${key} must map names to strings`);
  if (body.tags !== undefined && body.tags !== null && !stringMap(body.tags))
    throw armErrors.invalidRequestContent('tags must map names to strings');
  const now = new Date();
  return {
    name,
    location: body.location,
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    ...(typeof body.kind === 'string' ? { kind: body.kind } : {}),
    ...(isObject(body.sku) ? { sku: body.sku } : {}),
    properties: Object.fromEntries(
      DEPLOYMENT_PROPERTIES.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]),
    ),
    createdAt: previous?.createdAt ?? now,
    modifiedAt: now,
  };
}

export function endpointBody(e: ArmOnlineEndpoint, startedAt: Date): unknown {
  const host = `https://${e.name.toLowerCase()}.${LOCATION}.inference.ml.azure.com`;
  return {
    id: onlineEndpointResourceId(e),
    name: e.name,
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints',
    location: LOCATION,
    tags: {},
    // ManagedServiceIdentity requires `type`: an endpoint without identities says None.
    identity: armIdentityBody(e.identity) ?? { type: 'None' },
    systemData: systemData(startedAt),
    properties: {
      description: null,
      properties: {},
      authMode: 'Key',
      scoringUri: `${host}/score`,
      swaggerUri: `${host}/swagger.json`,
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
      traffic: {},
    },
  };
}

function deploymentBody(e: ArmOnlineEndpoint, d: OnlineDeploymentRecord): unknown {
  return {
    id: `${onlineEndpointResourceId(e)}/deployments/${d.name}`,
    name: d.name,
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
    location: d.location,
    tags: d.tags,
    ...(d.kind !== undefined ? { kind: d.kind } : {}),
    ...(d.sku !== undefined ? { sku: d.sku } : {}),
    systemData: systemData(d.createdAt, d.modifiedAt),
    properties: { ...d.properties, provisioningState: 'Succeeded' },
  };
}
