// The worker's task table: the recording tasks (what the editor's first view waits for) run without tfjs or the
// experiment modules ever being loaded; an experiment task's module is loaded on its first call and still answers
// with its own typed errors. Checked in a fresh worker thread, which has a module cache of its own.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { refdata } from '../../helpers/paths';

const tasksModule = path.resolve(__dirname, '..', '..', '..', 'src', 'worker', 'tasks', 'index.js');

interface Probe {
  atStart: string[];
  afterRecordingTasks: string[];
  packets: number;
  compareError: { name: string; code: string; message: string };
  afterExperimentTask: string[];
}

/** In a fresh worker thread: which of tfjs / the experiment task modules are loaded after each step. */
function probe(): Promise<Probe> {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const loaded = () => Object.keys(require.cache)
      .filter(k => /[\\\\/]@tensorflow[\\\\/]|[\\\\/]tasks[\\\\/]experiment\\w*\\.js$/.test(k))
      .map(k => k.includes('@tensorflow') ? '@tensorflow' : k.replace(/.*[\\\\/]/, ''))
      .filter((k, i, a) => a.indexOf(k) === i).sort();
    const ctx = { progress() {}, cancelled: false, throwIfCancelled() {}, async checkpoint() {} };
    (async () => {
      const { TASKS } = require(workerData.tasksModule);
      const atStart = loaded();
      const opened = await TASKS.recordingOpen({ path: workerData.file }, ctx);
      await TASKS.inspect({ path: workerData.file }, ctx);
      const afterRecordingTasks = loaded();
      const e = await TASKS.experimentCompare({ a: { runDir: '/nonexistent/run-a', model: 'teacher' }, b: { runDir: '/nonexistent/run-b', model: 'teacher' } }, ctx)
        .then(() => ({ name: 'none', code: '', message: '' }), err => ({ name: err.constructor.name, code: err.code, message: err.message }));
      parentPort.postMessage({ atStart, afterRecordingTasks, packets: opened.summary.records, compareError: e, afterExperimentTask: loaded() });
    })().catch(err => parentPort.postMessage({ failed: String(err && err.stack || err) }));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { tasksModule, file: refdata('intel5300', 'example.dat') } });
    w.once('message', (m: Probe & { failed?: string }) => {
      void w.terminate();
      if (m.failed) reject(new Error(m.failed));
      else resolve(m);
    });
    w.once('error', reject);
  });
}

describe('worker task table', function () {
  this.timeout(30_000);

  it('runs the recording tasks without loading tfjs or an experiment task; loads an experiment task on its first call', async () => {
    const p = await probe();
    assert.deepEqual(p.atStart, [], 'loaded when the task table was imported');
    assert.deepEqual(p.afterRecordingTasks, [], 'loaded by recordingOpen / inspect');
    const expected = JSON.parse(fs.readFileSync(refdata('expected', 'example.dat.json'), 'utf8')) as { num_records: number };
    assert.equal(p.packets, expected.num_records);
    assert.equal(p.compareError.name, 'TaskError');
    assert.equal(p.compareError.code, 'not-found');
    assert.match(p.compareError.message, /\/nonexistent\/run-a\/metrics\.json/);
    assert.ok(p.afterExperimentTask.includes('experimentCompare.js'), `experimentCompare not loaded: ${p.afterExperimentTask.join(', ')}`);
  });
});
