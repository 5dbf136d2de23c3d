import { IConstruct } from 'constructs';

/**
 * Runs `note` once, when `scope` is validated at synthesis: after the aspects (so it sees layers and
 * settings added late), with no tree walk of its own, and its annotations still reach the assembly. It
 * never fails the validation, and a second synthesis of the same app does not run it again.
 *
 * @param scope the construct whose validation runs `note`
 * @param note adds annotations
 */
export function noteAtSynthesis(scope: IConstruct, note: () => void): void {
  let done = false;
  scope.node.addValidation({
    validate: () => {
      if (!done) {
        done = true;
        note();
      }
      return [];
    },
  });
}
