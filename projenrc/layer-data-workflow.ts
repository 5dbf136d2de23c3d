import { github, Project } from 'projen';

/** The workflow's file name (.github/workflows/update-layer-data.yml). */
export const LAYER_DATA_WORKFLOW = 'update-layer-data';

/**
 * A weekly GitHub Actions workflow that regenerates the layer data from the upstream files
 * (`npm run update-layer-data`, docs/layer-data.md), runs the data's tests and, when the data changed, opens a
 * pull request with the change. Does nothing when the project has no GitHub configuration (`github: false`).
 *
 * The pull request is opened with the `gh` CLI and the workflow's own token: no third-party action. Pull requests
 * opened with GITHUB_TOKEN do not start other workflows, so CI runs when a maintainer pushes to the branch or
 * reopens the pull request; give the job a PAT in `PROJEN_GITHUB_TOKEN` to have CI start by itself.
 */
export function addLayerDataWorkflow(project: Project): github.GithubWorkflow | undefined {
  const gh = github.GitHub.of(project);
  if (!gh) return undefined;
  const workflow = gh.addWorkflow(LAYER_DATA_WORKFLOW);
  workflow.on({
    // Mondays 06:17 UTC (not on the hour, when GitHub's scheduler is busiest).
    schedule: [{ cron: '17 6 * * 1' }],
    workflowDispatch: {},
  });
  workflow.addJobs({
    update: {
      name: 'Refresh the layer data from the upstream files',
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.WRITE, pullRequests: github.workflows.JobPermission.WRITE },
      env: { BRANCH: 'automation/update-layer-data' },
      steps: [
        { name: 'Check out', uses: 'actions/checkout@v5' },
        { name: 'Set up Node', uses: 'actions/setup-node@v5', with: { 'node-version': '20' } },
        { name: 'Install', run: 'npm ci' },
        {
          name: 'Regenerate lib/tracing/layer-data.generated.ts',
          run: 'npm run update-layer-data',
          env: { GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' },
        },
        {
          id: 'diff',
          name: 'Did the data change?',
          run: 'git diff --quiet -- lib/tracing/layer-data.generated.ts && echo "changed=false" >> "$GITHUB_OUTPUT" || echo "changed=true" >> "$GITHUB_OUTPUT"',
        },
        {
          name: 'Test the new data',
          if: "steps.diff.outputs.changed == 'true'",
          run: 'npx jest --ci --coverage=false test/tracing test/tool/layers',
        },
        {
          name: 'Open a pull request',
          if: "steps.diff.outputs.changed == 'true'",
          env: { GH_TOKEN: '${{ secrets.PROJEN_GITHUB_TOKEN || secrets.GITHUB_TOKEN }}' },
          run: [
            'git config user.name "github-actions[bot]"',
            'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
            'git switch -C "$BRANCH"',
            'git add lib/tracing/layer-data.generated.ts',
            'git commit -m "Layer data: refreshed from the upstream files (npm run update-layer-data)"',
            'git push --force origin "$BRANCH"',
            'gh pr view "$BRANCH" --json state -q .state 2>/dev/null | grep -q OPEN || gh pr create --head "$BRANCH" '
              + '--title "Layer data: refreshed from the upstream files" '
              + '--body "The weekly run of npm run update-layer-data changed lib/tracing/layer-data.generated.ts. Each entry cites the upstream file and commit it was read from; review the ARNs, releases and runtimes against docs/layer-data.md before merging."',
          ].join('\n'),
        },
      ],
    },
  });
  return workflow;
}
