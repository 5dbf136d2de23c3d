import { App, Stack } from 'aws-cdk-lib';
import { noteAtSynthesis } from '../../lib/tracing/private/at-synthesis';

// Counted by calls, not by annotations: aws-cdk-lib drops an annotation whose text a construct already carries,
// so a note that ran twice with the same text would look like one that ran once.

describe('noteAtSynthesis', () => {
  test('runs the note at synthesis, not before', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const note = jest.fn();

    // WHEN
    noteAtSynthesis(stack, note);

    // THEN
    expect(note).not.toHaveBeenCalled();
    app.synth();
    expect(note).toHaveBeenCalledTimes(1);
  });

  test('runs the note once when the app is synthesized twice', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const note = jest.fn();
    noteAtSynthesis(stack, note);

    app.synth();
    app.synth({ force: true });

    expect(note).toHaveBeenCalledTimes(1);
  });

  test('two notes on one construct each run once', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const first = jest.fn();
    const second = jest.fn();
    noteAtSynthesis(stack, first);
    noteAtSynthesis(stack, second);

    app.synth();
    app.synth({ force: true });

    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
