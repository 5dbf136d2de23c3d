import { App } from 'aws-cdk-lib';
import { BlankPythonOtelStack } from './blank-python-otel-stack';
import { BlankPythonStack } from './blank-python-stack';

/** The sample app's stacks: the same blank-python function, traced two ways. */
export interface SampleStacks {
  /** `BlankPython`: AWS's blank-python sample with the X-Ray SDK. */
  readonly xray: BlankPythonStack;
  /** `BlankPythonOtel`: the same function with OpenTelemetry and one custom span. */
  readonly otel: BlankPythonOtelStack;
}

/** Adds the sample stacks to `app` (bin/app.ts, and the tests that synthesize the sample as `cdk synth` does). */
export function addSampleStacks(app: App): SampleStacks {
  return {
    xray: new BlankPythonStack(app, 'BlankPython', {
      description: 'cdk-traced-lambda sample: the blank-python function with X-Ray tracing',
    }),
    otel: new BlankPythonOtelStack(app, 'BlankPythonOtel', {
      description: 'cdk-traced-lambda sample: the blank-python function with OpenTelemetry (AWS Distro for OpenTelemetry)',
    }),
  };
}
