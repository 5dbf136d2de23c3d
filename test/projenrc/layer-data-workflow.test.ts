import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { javascript, Testing } from 'projen';
import { addLayerDataWorkflow } from '../../projenrc/layer-data-workflow';

function project(githubOn: boolean): javascript.NodeProject {
  return new javascript.NodeProject({
    name: 'p',
    defaultReleaseBranch: 'main',
    github: githubOn,
    buildWorkflow: false,
    release: false,
    depsUpgrade: false,
    pullRequestTemplate: false,
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'projen-')),
  });
}

describe('the weekly update-layer-data workflow (projenrc/layer-data-workflow.ts)', () => {
  test('without GitHub configuration it adds nothing', () => {
    const p = project(false);

    expect(addLayerDataWorkflow(p)).toBeUndefined();
    expect(Object.keys(Testing.synth(p)).filter(f => f.startsWith('.github/'))).toEqual([]);
  });

  test('with GitHub: weekly and on demand, refreshes, tests the data only when it changed, and opens a pull request', () => {
    const p = project(true);
    addLayerDataWorkflow(p);

    const yaml = Testing.synth(p)['.github/workflows/update-layer-data.yml'] as string;
    expect(yaml).toMatch(/schedule:\n\s+- cron: 17 6 \* \* 1\n\s+workflow_dispatch: \{\}/);
    expect(yaml).toContain('run: npm run update-layer-data');
    expect(yaml).toContain("if: steps.diff.outputs.changed == 'true'");
    expect(yaml).toContain('gh pr create --head "$BRANCH"');
    expect(yaml).toMatch(/contents: write\n\s+pull-requests: write/);
  });
});
