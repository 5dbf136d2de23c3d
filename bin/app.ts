#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { addSampleStacks } from './sample-stacks';
import { TracingChecks } from '../lib';

const app = new App();

// BlankPython (X-Ray SDK) and BlankPythonOtel (OpenTelemetry): the same function, traced two ways.
addSampleStacks(app);

// Any finding that is not acknowledged fails `cdk synth`.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new ServerlessChecks(app),
  new TracingChecks(app),
);
