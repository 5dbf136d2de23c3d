/**
 * `cdk-traced-lambda/local-trace`: run a traced Python Lambda function from a synthesized app on this machine
 * and get its trace. Node.js only, so not part of the jsii assembly (not exported from lib/index.ts): import
 * it from `cdk-traced-lambda/local-trace`.
 */
export * from './types';
export { LocalTrace } from './local-trace';
export { LocalTraceUsageError, ToolErrorId } from '../common/errors';
export { LAMBDA_RESERVED_VARIABLES } from './environment';
export type { OtlpAnyValue, OtlpExportTraceServiceRequest, OtlpKeyValue, OtlpSpan } from './otlp';
export { otlpTracesUrl, postOtlp } from './otlp';
