#!/usr/bin/env node
// Checks a synthesized sample app (cdk.out): the blank-python-lib layer asset really holds the packages
// (not an empty or skipped bundle) and leaves out what the Lambda runtime provides.
const fs = require('fs');
const path = require('path');

const outdir = process.argv[2] || 'cdk.out';
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
const templates = Object.values(manifest.artifacts)
  .filter((a) => a.type === 'aws:cloudformation:stack')
  .map((a) => JSON.parse(fs.readFileSync(path.join(outdir, a.properties.templateFile), 'utf8')));
const layers = templates.flatMap((t) => Object.values(t.Resources))
  .filter((r) => r.Type === 'AWS::Lambda::LayerVersion' && r.Properties.LayerName === 'blank-python-lib');
if (layers.length !== 1) throw new Error(`expected one blank-python-lib layer in ${outdir}, found ${layers.length}`);

const python = path.join(outdir, layers[0].Metadata['aws:asset:path'], 'python');
const entries = fs.readdirSync(python);
const missing = ['aws_xray_sdk', 'jsonpickle'].filter((p) => !entries.includes(p));
const unwanted = entries.filter((e) => /^(boto3|botocore|s3transfer)([-.]|$)/.test(e));
if (missing.length || unwanted.length) {
  throw new Error(`layer asset ${python}: missing [${missing}], runtime-provided packages present [${unwanted}]`);
}
let bytes = 0;
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
  const p = path.join(dir, e.name);
  if (e.isDirectory()) walk(p); else bytes += fs.statSync(p).size;
});
walk(python);
console.log(`blank-python-lib layer: ${entries.length} entries under python/ (${entries.join(', ')}), ${bytes} bytes unzipped`);
