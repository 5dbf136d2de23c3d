/**
 * How a traced function's execution role gets permission to write traces to AWS X-Ray.
 *
 * Lambda's active tracing sends segments with the function's execution role, so the role needs
 * `xray:PutTraceSegments` and `xray:PutTelemetryRecords`.
 */
export class XRayPermissions {
  /**
   * Attach the AWS managed policy `AWSXRayDaemonWriteAccess` (partition-aware ARN).
   *
   * This is what the Lambda documentation tells you to attach; AWS keeps it current when X-Ray
   * gains actions (sampling rules, sampling targets).
   */
  public static readonly MANAGED_POLICY = new XRayPermissions('MANAGED_POLICY');

  /**
   * Add one inline statement that allows exactly `xray:PutTraceSegments` and
   * `xray:PutTelemetryRecords` on `*` (X-Ray has no resource-level permissions for them).
   */
  public static readonly LEAST_PRIVILEGE = new XRayPermissions('LEAST_PRIVILEGE');

  /**
   * The name of the AWS managed policy that `MANAGED_POLICY` attaches.
   */
  public static readonly MANAGED_POLICY_NAME = 'AWSXRayDaemonWriteAccess';

  /**
   * The actions that `LEAST_PRIVILEGE` allows, and that any grant must include.
   */
  public static readonly WRITE_ACTIONS: string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

  /**
   * @param name the name of this choice, for messages
   */
  private constructor(public readonly name: string) {}

  /**
   * The name of this choice.
   */
  public toString(): string {
    return this.name;
  }
}
