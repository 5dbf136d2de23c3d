/**
 * How a traced function's execution role gets permission to write traces to AWS X-Ray.
 *
 * Lambda's active tracing sends segments with the function's execution role, so the role needs
 * `xray:PutTraceSegments` and `xray:PutTelemetryRecords`. A role gets one grant: if it already has
 * X-Ray write access in any form, that grant stands (see `AnnotationId.XRAY_PERMISSIONS_KEPT`).
 */
export enum XRayPermissions {
  /**
   * Attach the AWS managed policy `AWSXRayDaemonWriteAccess` (partition-aware ARN).
   *
   * This is what the Lambda documentation tells you to attach; AWS keeps it current when X-Ray
   * gains actions (sampling rules, sampling targets).
   */
  MANAGED_POLICY = 'MANAGED_POLICY',

  /**
   * Add one statement that allows exactly `xray:PutTraceSegments` and `xray:PutTelemetryRecords` on `*`
   * (X-Ray has no resource-level permissions for them), in a policy of its own.
   */
  LEAST_PRIVILEGE = 'LEAST_PRIVILEGE',
}
