#!/usr/bin/env node
// Checks a synthesized sample app (cdk.out): each sample layer asset really holds its packages (not an empty or
// skipped bundle), leaves out what the Lambda runtime provides, and leaves out what it must not ship.
//   blank-python-lib       (BlankPython, X-Ray SDK):        aws_xray_sdk, jsonpickle
//   blank-python-otel-lib  (BlankPythonOtel, OpenTelemetry): jsonpickle; no aws_xray_sdk, no opentelemetry
//                          (the AWS Distro for OpenTelemetry layer provides the API at run time)
const fs = require('fs');
const path = require('path');

const LAYERS = {
  'blank-python-lib': { required: ['aws_xray_sdk', 'jsonpickle'], forbidden: [] },
  'blank-python-otel-lib': { required: ['jsonpickle'], forbidden: ['aws_xray_sdk', 'opentelemetry', 'wrapt'] },
};
const RUNTIME_PROVIDED = ['boto3', 'botocore', 's3transfer'];

const outdir = process.argv[2] || 'cdk.out';
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
const templates = Object.values(manifest.artifacts)
  .filter((a) => a.type === 'aws:cloudformation:stack')
  .map((a) => JSON.parse(fs.readFileSync(path.join(outdir, a.properties.templateFile), 'utf8')));
const layerResources = templates.flatMap((t) => Object.values(t.Resources))
  .filter((r) => r.Type === 'AWS::Lambda::LayerVersion');

const bytesUnder = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
  const p = path.join(dir, e.name);
  return sum + (e.isDirectory() ? bytesUnder(p) : fs.statSync(p).size);
}, 0);
const named = (entries, names) => entries.filter((e) => names.some((n) => new RegExp(`^${n}([-_.]|$)`).test(e)));

for (const [name, { required, forbidden }] of Object.entries(LAYERS)) {
  const layers = layerResources.filter((r) => r.Properties.LayerName === name);
  if (layers.length !== 1) throw new Error(`expected one ${name} layer in ${outdir}, found ${layers.length}`);
  const python = path.join(outdir, layers[0].Metadata['aws:asset:path'], 'python');
  const entries = fs.readdirSync(python);
  const missing = required.filter((p) => !entries.includes(p));
  const unwanted = named(entries, [...RUNTIME_PROVIDED, ...forbidden]);
  if (missing.length || unwanted.length) {
    throw new Error(`${name} layer asset ${python}: missing [${missing}], present but must not be [${unwanted}]`);
  }
  console.log(`${name} layer: ${entries.length} entries under python/ (${entries.join(', ')}), ${bytesUnder(python)} bytes unzipped`);
}
