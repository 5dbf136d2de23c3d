import { Component } from 'projen';
import type { github } from 'projen';
import type { JsiiProject } from 'projen/lib/cdk';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

/**
 * Fixes what projen 0.103 generates for a jsii project whose artifacts directory is not `dist` (here `dist` holds
 * the compiled JavaScript, and the artifacts go to `artifacts/`), and gives the Python packaging jobs what this
 * project's offline `package:python` task needs.
 *
 * - The publishing jobs of the release workflow download the build artifact into a hard-coded `dist/` (projen's
 *   `ARTIFACTS_DOWNLOAD_DIR`, "must be dist for publib"), then read `artifacts/js/*.tgz` and
 *   `artifacts/releasetag.txt`, which are not there. They download into `artifacts/` instead, and publib is told
 *   the folder (`publib-npm artifacts/js`, `publib-pypi artifacts/python`: publib takes the folder as its
 *   argument).
 * - `package:python` builds the wheel with `pip wheel --no-build-isolation` (scripts/python-wheel.sh), so the
 *   Python from actions/setup-python, which has neither setuptools nor wheel, gets both first.
 *
 * Runs in preSynthesize, after the release component has added its publishing jobs (components run in the order
 * they were created, and this one is created after the project).
 */
export class ReleaseWorkflowFixes extends Component {
  private readonly artifactsDir: string;

  constructor(private readonly jsii: JsiiProject) {
    super(jsii);
    this.artifactsDir = jsii.artifactsDirectory;
  }

  public preSynthesize(): void {
    const dir = this.artifactsDir;
    const release = this.jsii.github?.tryFindWorkflow('release');
    const build = this.jsii.github?.tryFindWorkflow('build');
    const edits: Array<[github.GithubWorkflow | undefined, string]> = [
      [release, 'release_github'], [release, 'release_npm'], [release, 'release_pypi'], [build, 'package-python'],
    ];
    for (const [workflow, id] of edits) {
      const job = workflow?.getJob(id) as Job | undefined;
      if (!workflow || !job?.steps) {
        throw new Error(`projenrc/release-workflows.ts: job '${id}' not found in the generated workflows; projen changed what it generates, check the fixes here still apply.`);
      }
      const steps: JobStep[] = job.steps.map(step => this.fixStep(step, dir));
      // `tools.python` renders as actions/setup-python before the job's own steps; package:python runs pip wheel
      // --no-build-isolation, which needs both.
      if (job.tools?.python) {
        steps.unshift({
          name: 'Install setuptools and wheel',
          id: 'install_python_build_tools',
          run: 'python -m pip install setuptools wheel',
        });
      }
      workflow.updateJob(id, { ...job, steps });
    }
  }

  private fixStep(step: JobStep, dir: string): JobStep {
    if (step.uses?.startsWith('actions/download-artifact@') && step.with?.path === 'dist') {
      return { ...step, with: { ...step.with, path: dir } };
    }
    if (step.run?.startsWith('cd dist && setfacl')) {
      return { ...step, run: step.run.replace('cd dist &&', `cd ${dir} &&`) };
    }
    if (step.run?.endsWith("'publib-npm'")) {
      return { ...step, run: `${step.run} ${dir}/js` };
    }
    if (step.run?.endsWith("'publib-pypi'")) {
      return { ...step, run: `${step.run} ${dir}/python` };
    }
    return step;
  }
}
