// Packages the Azure DevOps task into an extension (.vsix), offline; nothing is published.
//   1. stages build/vsix/: vss-extension.json, marketplace/{overview.md,extension-icon.png}, LICENSE
//      (the manifest's content.license), and the task folder AmlVaultPushV0/ with task.json,
//      icon.png, LICENSE and the committed dist/azdo/index.mjs at the same relative path (so
//      task.json's `execution.*.target` works unchanged) with its THIRD_PARTY_NOTICES.txt beside it:
//      the agent downloads the task folder alone, so the notices travel with the code they cover;
//   2. runs the local tfx-cli: `tfx extension create --manifest-globs vss-extension.json --root build/vsix`;
//   3. rewrites the zip with its entries in a fixed order and fixed timestamps (tfx adds them in the
//      order its file reads finish, stamped with the current time), so the same inputs give the
//      same bytes;
//   4. prints the .vsix path on stdout.
// Flags: --publisher ID   (required) the Marketplace publisher's ID (not its display name)
//        --task-id GUID  (required) the task's id in your organization: one GUID per publisher,
//                        kept across releases (Azure DevOps tells task versions apart by it)
//        --out-dir DIR   (default: build)
// Both are checked first, as the Marketplace would (vsce's publisher rule: a letter or digit, then
// letters, digits and hyphens), and nothing is staged or built when one is missing or refused.
// The task ships the committed bundle as it is: `node scripts/build.mjs --check` says whether it is fresh.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  return value === undefined || value.startsWith('--') ? '' : value;
};
const outDir = resolve(root, flag('--out-dir') ?? 'build');
const stage = join(outDir, 'vsix');

const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const pkg = readJson('package.json');
const task = readJson('task.json');
const manifest = readJson('vss-extension.json');
const publisher = flag('--publisher');
const taskId = flag('--task-id');
const PUBLISHER_ID = /^[a-z0-9][a-z0-9-]*$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const usage = 'usage: npm run package -- --publisher PUBLISHER_ID --task-id GUID [--out-dir DIR]';
const refused = [
  !publisher
    ? '--publisher is required: the ID of your Visual Studio Marketplace publisher'
    : !PUBLISHER_ID.test(publisher) || publisher.length > 100
      ? `--publisher ${JSON.stringify(publisher)} is not a Marketplace publisher ID (a letter or digit, then letters, digits and hyphens; the ID, not the display name)`
      : undefined,
  !taskId
    ? "--task-id is required: a GUID of your own for the task (generate one once, e.g. `node -p 'crypto.randomUUID()'`, and keep it)"
    : !GUID.test(taskId) || /^[0-]+$/.test(taskId)
      ? `--task-id ${JSON.stringify(taskId)} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal, not all zeros)`
      : undefined,
].filter(Boolean);
if (refused.length > 0) {
  console.error(`package-vsix: ${refused.join('; ')}\n${usage}`);
  process.exit(2);
}
// "git+https://github.com/OWNER/REPO.git" → "https://github.com/OWNER/REPO"
const repository = String(pkg.repository?.url ?? pkg.repository ?? '')
  .replace(/^git\+/, '')
  .replace(/\.git$/, '');

// The manifests agree before anything is staged (test/manifests checks the same).
const taskDir = manifest.contributions.find((c) => c.type === 'ms.vss-distributed-task.task')?.properties?.name;
const taskVersion = `${task.version.Major}.${task.version.Minor}.${task.version.Patch}`;
const problems = [
  taskVersion !== pkg.version && `task.json version ${taskVersion} is not package.json's ${pkg.version}`,
  manifest.version !== pkg.version &&
    `vss-extension.json version ${manifest.version} is not package.json's ${pkg.version}`,
  !/^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(repository) &&
    `package.json "repository" is not a GitHub repository URL: ${JSON.stringify(pkg.repository)}`,
  !taskDir && 'vss-extension.json has no ms.vss-distributed-task.task contribution with properties.name',
  taskDir &&
    !manifest.files.some((f) => f.path === taskDir) &&
    `vss-extension.json "files" does not list the task folder ${taskDir}`,
].filter(Boolean);
if (problems.length > 0) {
  console.error(`package-vsix: ${problems.join('; ')}`);
  process.exit(1);
}

// 1. Stage. The task folder gets task.json, its icon, LICENSE and each handler's target with the
// notices of the third-party code in it, nothing else.
const targets = [...new Set(Object.values(task.execution).map((e) => e.target))];
const notices = targets.map((t) => join(dirname(t), 'THIRD_PARTY_NOTICES.txt'));
const files = [
  ['vss-extension.json', 'vss-extension.json'],
  [manifest.icons.default, manifest.icons.default],
  [manifest.content.details.path, manifest.content.details.path],
  [manifest.content.license.path, manifest.content.license.path],
  ['icon.png', join(taskDir, 'icon.png')],
  ['LICENSE', join(taskDir, 'LICENSE')],
  ...targets.map((t) => [t, join(taskDir, t)]),
  ...notices.map((n) => [n, join(taskDir, n)]),
];
rmSync(stage, { recursive: true, force: true });
for (const [from, to] of files) {
  mkdirSync(dirname(join(stage, to)), { recursive: true });
  copyFileSync(join(root, from), join(stage, to));
}
// The repository is named once, in package.json: the extension's links derive from it. The
// publisher and the task's id are this build's parameters.
writeFileSync(
  join(stage, 'vss-extension.json'),
  `${JSON.stringify({ ...manifest, publisher, ...extensionLinks(repository) }, null, 2)}\n`,
);
writeFileSync(join(stage, taskDir, 'task.json'), `${JSON.stringify({ ...task, id: taskId.toLowerCase() }, null, 2)}\n`);

// 2. tfx, the local one (node_modules), on this Node. Its own output goes to stderr: stdout is the path.
const vsix = join(outDir, `${publisher}.${manifest.id}-${pkg.version}.vsix`);
const require = createRequire(import.meta.url);
const tfxPackage = require.resolve('tfx-cli/package.json');
const tfx = join(dirname(tfxPackage), JSON.parse(readFileSync(tfxPackage, 'utf8')).bin.tfx);
rmSync(vsix, { force: true });
const created = spawnSync(
  process.execPath,
  [
    tfx,
    'extension',
    'create',
    '--manifest-globs',
    'vss-extension.json',
    '--root',
    stage,
    '--output-path',
    vsix,
    '--publisher',
    publisher,
    '--no-prompt',
    '--no-color',
  ],
  { cwd: root, stdio: ['ignore', 2, 2] },
);
if (created.status !== 0) {
  console.error(`package-vsix: tfx extension create failed (${created.error?.message ?? `exit ${created.status}`})`);
  process.exit(1);
}

// 3. Same inputs, same bytes.
writeFileSync(vsix, canonicalZip(readFileSync(vsix)));
console.error(`package-vsix: ${relative(root, vsix)} (${statSync(vsix).size} bytes)`);
console.log(vsix);

/** `repository` and `links` of the extension manifest, from package.json's repository URL. */
function extensionLinks(url) {
  return {
    repository: { type: 'git', uri: url },
    links: {
      home: { uri: `${url}#readme` },
      getstarted: { uri: `${url}#azure-devops-task` },
      support: { uri: `${url}/issues` },
      issues: { uri: `${url}/issues` },
      license: { uri: `${url}/blob/main/LICENSE` },
      repository: { uri: url },
    },
  };
}

/**
 * tfx writes one [Content_Types].xml line per file extension in the order its file reads finish:
 * sort them, and store the entry again (deflated by this Node's zlib, CRC and sizes updated in both
 * headers). Local header fields: APPNOTE.TXT 4.3.7; central: 4.3.12.
 */
function sortContentTypes(entry) {
  const nameAndExtra = entry.local.readUInt16LE(26) + entry.local.readUInt16LE(28);
  const header = entry.local.subarray(0, 30 + nameAndExtra);
  const method = entry.local.readUInt16LE(8);
  const stored = entry.local.subarray(30 + nameAndExtra);
  if (method !== 0 && method !== 8) throw new Error(`package-vsix: [Content_Types].xml uses zip method ${method}`);
  const xml = (method === 8 ? inflateRawSync(stored) : stored).toString('utf8');
  const eol = xml.includes('\r\n') ? '\r\n' : '\n';
  const lines = xml.split(eol);
  const first = lines.findIndex((l) => /^\s*<(Default|Override) /.test(l));
  const last = lines.findLastIndex((l) => /^\s*<(Default|Override) /.test(l));
  if (first < 0) return;
  const rank = (l) => (/^\s*<Default /.test(l) ? 0 : 1);
  const sorted = lines.slice(first, last + 1).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const bytes = Buffer.from([...lines.slice(0, first), ...sorted, ...lines.slice(last + 1)].join(eol), 'utf8');
  const data = method === 8 ? deflateRawSync(bytes, { level: 9 }) : bytes;
  const crc = crc32(bytes);
  const local = Buffer.concat([Buffer.from(header), data]);
  for (const [buffer, at] of [
    [local, 14],
    [entry.central, 16],
  ]) {
    buffer.writeUInt32LE(crc, at);
    buffer.writeUInt32LE(data.length, at + 4);
    buffer.writeUInt32LE(bytes.length, at + 8);
  }
  entry.local = local;
}

/**
 * The zip with [Content_Types].xml first, then every entry by name, all dated 1980-01-01 00:00 (the
 * zip epoch). Compressed data is copied as it is. Expects what tfx's jszip writes: one disk, no
 * zip64, sizes in the local headers (no data descriptors); anything else is an error, not a guess.
 * Layout: APPNOTE.TXT 4.3.7 (local header, 30 bytes), 4.3.12 (central header, 46), 4.3.16 (end record, 22).
 */
function canonicalZip(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('package-vsix: no end of central directory record in the .vsix');
  const count = zip.readUInt16LE(end + 10);
  const entries = [];
  for (let i = 0, at = zip.readUInt32LE(end + 16); i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('package-vsix: bad central directory entry');
    const size = 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const central = Buffer.from(zip.subarray(at, at + size));
    const local = zip.readUInt32LE(at + 42);
    const localSize = 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28) + central.readUInt32LE(20);
    if (central.readUInt16LE(8) & 0x0008 || central.readUInt32LE(20) === 0xffffffff || local === 0xffffffff) {
      throw new Error('package-vsix: the .vsix uses data descriptors or zip64; canonicalZip does not handle them');
    }
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)),
      central,
      local: Buffer.from(zip.subarray(local, local + localSize)),
    });
    at += size;
  }
  const types = entries.find((e) => e.name === '[Content_Types].xml');
  if (types) sortContentTypes(types);
  const rank = (name) => (name === '[Content_Types].xml' ? 0 : 1);
  entries.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = [];
  let offset = 0;
  for (const e of entries) {
    e.local.writeUInt32LE(0x00210000, 10); // time 00:00:00, date 1980-01-01
    e.central.writeUInt32LE(0x00210000, 12);
    e.central.writeUInt32LE(offset, 42);
    out.push(e.local);
    offset += e.local.length;
  }
  const centrals = entries.map((e) => e.central);
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(
    centrals.reduce((n, c) => n + c.length, 0),
    12,
  );
  record.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, ...centrals, record]);
}
