// `csi-workbench run`: exit codes (usage 2, invalid spec 2 naming the path, success 0) and the printed table.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../../src/cli/commands/run';
import { labeled } from '../../helpers/paths';

function capture() {
  const o = { out: '', err: '' };
  return {
    io: {
      out: (s: string) => {
        o.out += s;
      },
      err: (s: string) => {
        o.err += s;
      },
    },
    o,
  };
}

describe('cli: run', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'glsda-cli-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('usage errors and invalid specs exit 2 with a message', async () => {
    let c = capture();
    assert.equal(await run([], c.io), 2);
    assert.match(c.o.err, /usage: csi-workbench run/);
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, JSON.stringify({ name: 'x', steps: [{ id: 'd', type: 'dataset' }] }));
    c = capture();
    assert.equal(await run([bad, '--engine', 'cpu', '--workspace', dir], c.io), 2);
    assert.match(c.o.err, /bad\.json.*missing required property "folder"/);
    c = capture();
    assert.equal(await run([path.join(dir, 'missing.json'), '--engine', 'cpu'], c.io), 2);
    assert.match(c.o.err, /cannot read/);
  });

  it('runs a tiny experiment, prints progress and the teacher/student table, exits 0', async () => {
    const spec = {
      name: 'cli-tiny',
      seed: 2,
      steps: [
        {
          id: 'data',
          type: 'dataset',
          folder: labeled('wiar'),
          limit: 24,
          split: { protocol: 'leave-out', factor: 'user', heldOut: ['8'] },
        },
        { id: 'features', type: 'features', timeSteps: 16, dopplerBands: 8, phaseSubcarrierStride: 10 },
        { id: 'prior', type: 'prior' },
        {
          id: 'teacher',
          type: 'teacher',
          kernels: [3],
          branchFilters: 4,
          dModel: 8,
          heads: 2,
          ffn: 8,
          blocks: 1,
          train: { epochs: 1, batchSize: 8 },
        },
        { id: 'student', type: 'student', filters: [4, 4], train: { epochs: 1, batchSize: 8 } },
        { id: 'eval', type: 'evaluate', latencyRepeats: 1 },
        { id: 'compare', type: 'compare' },
      ],
    };
    const f = path.join(dir, 'tiny.csiexp.json');
    await fs.writeFile(f, JSON.stringify(spec));
    const c = capture();
    assert.equal(await run([f, '--engine', 'cpu', '--workspace', dir, '--run-id', 'cli1'], c.io), 0, c.o.err);
    assert.match(c.o.out, /epoch 1\/1 {2}loss/);
    assert.match(c.o.out, /^teacher\s+teacher\s+\d/m);
    assert.match(c.o.out, /^student\s+student\s+\d/m);
    assert.match(c.o.out, /chance level: 6\.3 %/);
    await fs.access(path.join(dir, '.csi-workbench', 'runs', 'cli1', 'metrics.json'));
  });
});
