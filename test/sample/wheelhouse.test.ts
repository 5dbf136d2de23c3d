import * as fs from 'fs';
import * as path from 'path';
import { makeWheelhouse } from './sample-app';

test('the offline wheelhouse is byte-for-byte reproducible, so the layer\'s asset hash does not change between builds', () => {
  const first = makeWheelhouse();
  const second = makeWheelhouse();
  try {
    const names = fs.readdirSync(first).sort();
    expect(fs.readdirSync(second).sort()).toEqual(names);
    expect(names).toEqual(expect.arrayContaining([
      expect.stringMatching(/^aws_xray_sdk-2\.15\.0-py3-none-any\.whl$/),
      expect.stringMatching(/^jsonpickle-4\.1\.2-py3-none-any\.whl$/),
      expect.stringMatching(/^wrapt-.*-py3-none-any\.whl$/),
    ]));
    for (const name of names) {
      expect({ name, same: fs.readFileSync(path.join(first, name)).equals(fs.readFileSync(path.join(second, name))) })
        .toEqual({ name, same: true });
    }
  } finally {
    fs.rmSync(first, { recursive: true, force: true });
    fs.rmSync(second, { recursive: true, force: true });
  }
});
