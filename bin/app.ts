#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { BlankPythonStack } from './blank-python-stack';
import { TracingChecks } from '../lib';

const app = new App();

new BlankPythonStack(app, 'BlankPython', {
  description: 'cdk-traced-lambda sample: the blank-python function with X-Ray tracing',
});

// Any finding that is not acknowledged fails `cdk synth`.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new ServerlessChecks(app),
  new TracingChecks(app),
);
